import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { JsonObject, StoreOptions } from '@sessions/core';

/**
 * Options of {@link DynamoSessionStore}: the shared {@link StoreOptions} (ttlMs,
 * maxMessageBytes, maxBatchMessages, readPageSize, messageSchema, codecs, clock, ...) plus how to
 * reach the table.
 */
export interface DynamoSessionStoreOptions<M extends JsonObject = JsonObject> extends StoreOptions<M> {
  /**
   * A `DynamoDBClient` the caller owns: the store uses it and never destroys it. When absent
   * the store builds its own from `endpoint` / `region` / `clientConfig` and destroys it on `close()`.
   * @default undefined (the store builds and owns a client)
   */
  client?: DynamoDBClient;
  /**
   * The table holding sessions and messages (create it with `setup()`): 3 to 255 characters of
   * `A-Z a-z 0-9 _ . -`.
   * @default "sessions"
   */
  tableName?: string;
  /**
   * The endpoint of a DynamoDB-compatible server (DynamoDB Local, LocalStack); ignored with `client`.
   * @default undefined (AWS, the region's endpoint)
   */
  endpoint?: string;
  /**
   * The AWS region; ignored with `client`.
   * @default the SDK's default region chain
   */
  region?: string;
  /**
   * Extra settings for the client the store builds itself (credentials, retries...); ignored with `client`.
   * @default {}
   */
  clientConfig?: DynamoDBClientConfig;
  /**
   * How many times a throttled request or a transaction that lost a race is retried (with
   * jittered exponential backoff) before `UNAVAILABLE` / `CONFLICT`.
   * @default 8
   */
  maxRetries?: number;
  /**
   * How many sessions the store remembers (generation, `lastSeq`, TTL) so that an append by the
   * session's usual writer is one request and a read queries messages and the session item at
   * once. Every write that relies on it is conditioned on it, so a stale entry costs a retry,
   * never a wrong result. `0` turns it off.
   * @default 1000
   */
  sessionCacheSize?: number;
  /**
   * Follow the table's DynamoDB Stream, so that a `watch()` wakes within about
   * `pollIntervalMs` of a write by any client, instead of polling the session. One reader per
   * store reads every open shard of the stream while at least one session is watched, whatever
   * the number of watches. `setup()` then enables a `KEYS_ONLY` stream on the table (on a new
   * table or an existing one). Needs the package `@aws-sdk/client-dynamodb-streams`. See the
   * README's *Watching a session* for the costs and limits on AWS.
   * @default false (a watch polls the session every second, core's default)
   */
  streams?: boolean | DynamoStreamsOptions;
  /**
   * How `setup()` creates a missing table (billing, capacity, how long to wait).
   * @default { billingMode: "PAY_PER_REQUEST", waitMs: 60000 }
   */
  table?: DynamoTableOptions;
}

/** How a store with `streams` reads the table's stream. */
export interface DynamoStreamsOptions {
  /**
   * Pause between two rounds of `GetRecords` over the stream's open shards, in ms. AWS serves
   * at most 5 `GetRecords` a second per shard to all readers together: keep (number of watching
   * processes × 1000 / pollIntervalMs) below that.
   * @default 500
   */
  pollIntervalMs?: number;
  /**
   * The DynamoDB Streams endpoint.
   * @default the client's endpoint when it is a custom one (DynamoDB Local and LocalStack serve both APIs), else the region's Streams endpoint
   */
  endpoint?: string;
}

/** How `setup()` creates a missing table. */
export interface DynamoTableOptions {
  /**
   * Billing of a new table: `"PAY_PER_REQUEST"` (on-demand) or provisioned capacity.
   * @default "PAY_PER_REQUEST"
   */
  billingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  /**
   * Read and write capacity of the table and its index when `billingMode` is `"PROVISIONED"`.
   * @default { readCapacityUnits: 5, writeCapacityUnits: 5 }
   */
  provisioned?: { readCapacityUnits: number; writeCapacityUnits: number };
  /**
   * How long to wait for a new table to become active, in ms.
   * @default 60000
   */
  waitMs?: number;
}

/** The default table name. */
export const DEFAULT_TABLE_NAME = 'sessions';
/** The default number of retries of throttled or conflicting requests. */
export const DEFAULT_MAX_RETRIES = 8;
/** The default pause between two reads of the stream by a store with `streams`, in ms. */
export const DEFAULT_STREAM_POLL_MS = 500;
/** The default number of sessions a store remembers. */
export const DEFAULT_SESSION_CACHE_SIZE = 1000;
