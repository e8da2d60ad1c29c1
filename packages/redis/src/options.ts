import type { JsonObject, StoreOptions } from '@sessions/core';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { RedisClient } from './driver/client.js';

/** Options of every Redis store, however it is built: the shared {@link StoreOptions} plus the key prefix. */
export interface RedisStoreSettings<M extends JsonObject = JsonObject> extends StoreOptions<M> {
  /**
   * Prepended to every key, so several stores (or apps) share one server without seeing each
   * other's data. It must not contain `{` or `}`: the keys' hash tag is the user id.
   * @default "sessions:"
   */
  keyPrefix?: string;
  /**
   * Acknowledge a write only once replicas hold it: after every write script the store sends
   * `WAIT replicas timeoutMs` on the same connection (on a cluster, to the master of the
   * session's slot, pipelined with the script). When fewer replicas confirm in time the call
   * fails with `UNAVAILABLE` (retryable): the write is applied on the master and may or may not
   * survive a failover, so retry it with the same `idempotencyKey`. Without it an acknowledged
   * write that had not reached a replica is lost if the master fails over (see the README).
   * Store-wide: the store API has no per-call backend options.
   * @default undefined (acknowledge once the master applied the write)
   */
  waitForReplicas?: WaitForReplicas;
}

/** The {@link RedisStoreSettings.waitForReplicas} option. */
export interface WaitForReplicas {
  /** How many replicas must confirm each write (`WAIT`'s first argument), at least 1. */
  replicas: number;
  /**
   * How long to wait for them, in ms (`WAIT`'s second argument); must be positive (`WAIT` with
   * 0 would block forever).
   */
  timeoutMs: number;
}

/** Options of the {@link RedisSessionStore} constructor. */
export interface RedisSessionStoreOptions<M extends JsonObject = JsonObject> extends RedisStoreSettings<M> {
  /**
   * The ioredis client (`new Redis(...)` or `new Cluster(...)`) the store works through. The
   * caller owns it: `close()` leaves it open. The store registers its Lua scripts on it as
   * custom commands named `sessions*`. It must not resend a command left without a reply when
   * its connection drops (the server may have run it: a write would be applied twice), so a
   * `Redis` needs `autoResendUnfulfilledCommands: false` and a `Cluster` needs
   * `retryDelayOnFailover: 0`; any other client is refused with `INVALID_ARGUMENT`.
   */
  client: RedisClient;
}

/** Options of {@link RedisSessionStore.fromUrl} and {@link RedisSessionStore.fromClusterNodes}: the store owns the client it opens. */
export interface RedisUrlOptions<M extends JsonObject = JsonObject> extends RedisStoreSettings<M> {
  /**
   * How long one connection attempt may take before it counts as failed.
   * @default 5000
   */
  connectTimeoutMs?: number;
  /**
   * Pause between reconnection attempts while the server is down. A call made during an outage
   * waits for at most two attempts, then fails with `UNAVAILABLE` (ioredis' own defaults let
   * it wait through 20 attempts with a growing backoff: 73 s measured); the client keeps
   * reconnecting in the background and the next call after the outage succeeds.
   * @default 500
   */
  reconnectDelayMs?: number;
  /**
   * More ioredis options for a single-server client (TLS, `family`, `db`...), applied over the
   * store's. `autoResendUnfulfilledCommands` must stay `false`.
   * @default {}
   */
  redisOptions?: RedisOptions;
  /**
   * More ioredis options for a cluster client, applied over the store's.
   * `retryDelayOnFailover` must stay `0`.
   * @default {}
   */
  clusterOptions?: ClusterOptions;
}

/** The default {@link RedisStoreSettings.keyPrefix}. */
export const DEFAULT_KEY_PREFIX = 'sessions:';
/** The default {@link RedisUrlOptions.connectTimeoutMs}. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
/** The default {@link RedisUrlOptions.reconnectDelayMs}. */
export const DEFAULT_RECONNECT_DELAY_MS = 500;
