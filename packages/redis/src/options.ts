import type { Clock, JsonObject, StandardSchemaV1 } from '@sessions/core';
import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';

/** A connected ioredis client: a single server (`Redis`) or a Redis Cluster (`Cluster`). */
export type RedisClient = Redis | Cluster;

/** Options of {@link RedisSessionStore} other than the client. */
export interface RedisStoreSettings<M extends JsonObject = JsonObject> {
  /**
   * Prepended to every key, so several stores (or apps) share one server without seeing each
   * other's data. It must not contain `{` or `}`: the keys' hash tag is the user id.
   * @default "sessions:"
   */
  keyPrefix?: string;
  /**
   * Default time to live of a session in ms, slid by every write; a session's own `ttlMs`
   * (createSession, getOrCreateSession, updateSession) overrides it.
   * @default undefined (sessions never expire)
   */
  ttlMs?: number;
  /**
   * Largest encoded message in bytes (UTF-8 of its JSON text); a bigger one is `TOO_LARGE`.
   * @default 262144 (256 KiB)
   */
  maxMessageBytes?: number;
  /**
   * A Standard Schema (a zod schema, for one) every appended message must satisfy; what it
   * returns is what is stored. Reads are typed by it.
   * @default undefined (any plain JSON object)
   */
  messageSchema?: StandardSchemaV1<unknown, M>;
  /**
   * Where the store reads the time (ms since the epoch) for timestamps and expiry. It is
   * passed to the scripts, so every process sharing the data should use the same clock.
   * @default Date.now
   */
  clock?: Clock;
  /**
   * How long `health()` waits for the server's PING before it reports `ok: false`.
   * @default 2000
   */
  healthTimeoutMs?: number;
}

/** Options of the {@link RedisSessionStore} constructor. */
export interface RedisSessionStoreOptions<M extends JsonObject = JsonObject> extends RedisStoreSettings<M> {
  /**
   * The ioredis client (`new Redis(...)` or `new Cluster(...)`) the store works through. The
   * caller owns it: `close()` leaves it open. The store registers its Lua scripts on it as
   * custom commands named `sessions*`.
   */
  client: RedisClient;
}

/** Options of {@link RedisSessionStore.fromUrl}. */
export interface RedisFromUrlOptions<M extends JsonObject = JsonObject> extends RedisStoreSettings<M> {
  /**
   * ioredis options for the client the store creates (timeouts, TLS, retry strategy).
   * @default ioredis' defaults, plus `lazyConnect: false`
   */
  redisOptions?: RedisOptions;
}

/** Options of {@link RedisSessionStore.fromClusterNodes}. */
export interface RedisFromClusterOptions<M extends JsonObject = JsonObject> extends RedisStoreSettings<M> {
  /**
   * ioredis cluster options for the client the store creates.
   * @default ioredis' defaults
   */
  clusterOptions?: ClusterOptions;
}

/** The default of {@link RedisStoreSettings.healthTimeoutMs}. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 2000;
