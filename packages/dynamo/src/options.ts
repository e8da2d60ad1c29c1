import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { Clock, JsonObject, StandardSchemaV1 } from '@sessions/core';

/** Options of {@link DynamoSessionStore}. */
export interface DynamoSessionStoreOptions<M extends JsonObject = JsonObject> {
  /**
   * A `DynamoDBClient` the caller owns: the store uses it and never destroys it. When absent
   * the store builds its own from `endpoint` / `region` / `clientConfig` and destroys it on `close()`.
   */
  client?: DynamoDBClient;
  /** The table holding sessions and messages (create it with `ensureTable()`). @default "sessions" */
  tableName?: string;
  /** The endpoint of a DynamoDB-compatible server (DynamoDB Local, LocalStack); ignored with `client`. */
  endpoint?: string;
  /** The AWS region; ignored with `client`. @default the SDK's default region chain */
  region?: string;
  /** Extra settings for the client the store builds itself (credentials, retries...); ignored with `client`. */
  clientConfig?: DynamoDBClientConfig;
  /** Default time to live of a session in ms, slid by every write; absent = sessions never expire. */
  ttlMs?: number;
  /** Largest encoded message in bytes. @default 262144 (256 KiB) */
  maxMessageBytes?: number;
  /** A Standard Schema (e.g. zod) every appended message must satisfy. */
  messageSchema?: StandardSchemaV1<unknown, M>;
  /** The clock (ms since the epoch) used for timestamps and expiry. @default Date.now */
  clock?: Clock;
  /**
   * How many times a throttled request or a transaction that lost a race is retried (with
   * jittered exponential backoff) before `UNAVAILABLE` / `CONFLICT`. @default 8
   */
  maxRetries?: number;
  /**
   * How many sessions the store remembers (generation, `lastSeq`, TTL) so that an append by the
   * session's usual writer is one request and a read queries messages and the session item at
   * once. Every write that relies on it is conditioned on it, so a stale entry costs a retry,
   * never a wrong result. `0` turns it off. @default 1000
   */
  sessionCacheSize?: number;
}

/** Options of {@link DynamoSessionStore.ensureTable}. */
export interface EnsureTableOptions {
  /**
   * Billing of a new table: `"PAY_PER_REQUEST"` (on-demand) or provisioned capacity.
   * @default "PAY_PER_REQUEST"
   */
  billingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  /** Read and write capacity of the table and its index when `billingMode` is `"PROVISIONED"`. @default 5 / 5 */
  provisioned?: { readCapacityUnits: number; writeCapacityUnits: number };
  /** How long to wait for a new table to become active, in ms. @default 60000 */
  waitMs?: number;
}

/** The default table name. */
export const DEFAULT_TABLE_NAME = 'sessions';
/** The default number of retries of throttled or conflicting requests. */
export const DEFAULT_MAX_RETRIES = 8;
/** The default number of sessions a store remembers. */
export const DEFAULT_SESSION_CACHE_SIZE = 1000;
