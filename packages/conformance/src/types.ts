import type { JsonObject, RawInspector, SessionStore, StoreOptions } from '@sessions/core';

/** The raw-storage reader a backend passes to the suite; defined in core, where backends can ship one. */
export type { RawInspector };

/** What a backend can and cannot do, as options of the suite rather than skip lists. */
export interface ConformanceCapabilities {
  /** Smallest TTL unit the backend honours (DynamoDB: 1000). @default 1 */
  ttlGranularityMs?: number;
  /** Largest batch one append accepts atomically, if the backend has a cap (DynamoDB). */
  maxBatchSize?: number;
  /** How many writers the concurrency test runs at once. @default 8 */
  concurrentWriters?: number;
  /** Number of runs of the model-based test. @default 30 */
  modelRuns?: number;
  /**
   * The backend removes expired records by itself, promptly (Redis key expiry), so
   * `purgeExpired` may find nothing left to delete and its count is not checked.
   * @default false
   */
  nativeExpiry?: boolean;
}

/** Makes stores for the suite. */
export interface ConformanceFactory<M extends JsonObject = JsonObject> {
  /**
   * A new store (with its own client) over `namespace`: a key prefix, schema or table that no
   * other test file uses. Called several times with the same namespace when a test needs
   * several clients over the same data (the concurrency tests); each call's store is closed by
   * the suite. `options` are the store options the test needs (a default TTL, a message limit).
   */
  create(namespace: string, options?: ConformanceStoreOptions): Promise<SessionStore<M>>;
  /** A raw inspector over the same namespace; optional, but the inspector tests run only with one. */
  inspector?(namespace: string): Promise<RawInspector> | RawInspector;
  /** Called once after every test of the suite has run (close shared clients, drop the namespace). */
  teardown?(): Promise<void>;
}

/**
 * Store options a conformance test may ask the factory for: a subset of core's
 * `StoreOptions`, so a factory passes them straight through to its store. The suite asks for
 * `ttlMs` (a default TTL), `maxMessageBytes`, `messageSchema` (a Standard Schema),
 * `readPageSize` (a small page, so whole-history reads span several pages) and
 * `maxBatchMessages` / `maxBatchBytes` (small caps, to check they hold).
 */
export type ConformanceStoreOptions = Pick<
  StoreOptions<JsonObject>,
  'ttlMs' | 'maxMessageBytes' | 'messageSchema' | 'readPageSize' | 'maxBatchMessages' | 'maxBatchBytes'
>;

/** Options of {@link describeConformance}. */
export interface ConformanceOptions<M extends JsonObject = JsonObject> {
  /** The backend's name as shown in test titles (`"redis"`, `"redis-cluster"`, ...). */
  name: string;
  factory: ConformanceFactory<M>;
  capabilities?: ConformanceCapabilities;
}
