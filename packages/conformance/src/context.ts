import { randomBytes } from 'node:crypto';
import type { JsonObject, SessionStore } from '@sessions/core';
import type {
  ConformanceCapabilities,
  ConformanceFactory,
  ConformanceStoreOptions,
  RawInspector,
} from './types.js';

/** {@link ConformanceCapabilities} with every default filled in. */
export interface ResolvedCapabilities {
  /** Smallest TTL unit the backend honours, in ms. */
  ttlGranularityMs: number;
  /** Largest batch one append accepts, or `undefined` when there is no cap. */
  maxBatchSize: number | undefined;
  /** Separate clients in the concurrency tests. */
  concurrentWriters: number;
  /** Runs of the model-based test. */
  modelRuns: number;
  /** The backend deletes expired records by itself. */
  nativeExpiry: boolean;
}

/** A user id and a session id that no other test uses. */
export interface FreshIds {
  userId: string;
  sessionId: string;
}

/**
 * What every behaviour file receives: the namespace, the stores and the helpers it needs.
 * `store` and `inspector` are available once the suite's `beforeAll` has run, i.e. inside tests
 * and hooks, not while tests are being registered.
 */
export interface SuiteContext {
  /** The backend's name as given to `describeConformance`. */
  readonly name: string;
  /** The namespace every store of this suite run shares. */
  readonly namespace: string;
  readonly factory: ConformanceFactory<JsonObject>;
  readonly capabilities: ResolvedCapabilities;
  /** The shared store (no default TTL, default limits). */
  readonly store: SessionStore<JsonObject>;
  /** The raw inspector, when the factory has one. */
  readonly inspector: RawInspector | undefined;
  /** A new store over the same namespace with its own client; closed by the suite. */
  openStore(options?: ConformanceStoreOptions): Promise<SessionStore<JsonObject>>;
  /**
   * A second namespace that only the tests of whole-namespace calls use (`purgeExpired`), so
   * they can check exact counts without seeing the rest of the suite's data.
   */
  readonly quietNamespace: string;
  /** A new store over {@link SuiteContext.quietNamespace}; closed by the suite. */
  openQuietStore(options?: ConformanceStoreOptions): Promise<SessionStore<JsonObject>>;
  /** Closes a store opened with {@link SuiteContext.openStore} early (to release connections). */
  closeStore(store: SessionStore<JsonObject>): Promise<void>;
  /** Unique ids, so tests never collide inside the shared namespace. */
  freshIds(): FreshIds;
  /** A unique id with a readable tag. */
  freshId(tag: string): string;
}

/** Fills in the defaults of the suite's capabilities. */
export function resolveCapabilities(capabilities: ConformanceCapabilities = {}): ResolvedCapabilities {
  return {
    ttlGranularityMs: capabilities.ttlGranularityMs ?? 1,
    maxBatchSize: capabilities.maxBatchSize,
    concurrentWriters: capabilities.concurrentWriters ?? 8,
    modelRuns: capabilities.modelRuns ?? 30,
    nativeExpiry: capabilities.nativeExpiry ?? false,
  };
}

/**
 * A namespace safe as a Redis key prefix, a PostgreSQL schema name and a DynamoDB table name:
 * lower-case letters, digits and underscores, starting with a letter.
 */
export function newNamespace(): string {
  return `conf_${randomBytes(5).toString('hex')}`;
}

/** The mutable side of the context: the suite's hooks open and close through it. */
export interface SuiteLifecycle {
  context: SuiteContext;
  /** Opens the shared store and the inspector. */
  start(): Promise<void>;
  /** Closes every store still open, then calls the factory's teardown. */
  stop(): Promise<void>;
}

/** Builds the context of one suite run. */
export function createSuiteContext(
  name: string,
  factory: ConformanceFactory<JsonObject>,
  capabilities: ResolvedCapabilities,
): SuiteLifecycle {
  const namespace = newNamespace();
  const open = new Set<SessionStore<JsonObject>>();
  let shared: SessionStore<JsonObject> | undefined;
  let inspector: RawInspector | undefined;
  let counter = 0;
  const runTag = randomBytes(3).toString('hex');

  const quietNamespace = `${namespace}_q`;
  const openIn = async (target: string, options?: ConformanceStoreOptions) => {
    const store = await factory.create(target, options);
    open.add(store);
    return store;
  };
  const openStore = (options?: ConformanceStoreOptions) => openIn(namespace, options);
  const closeStore = async (store: SessionStore<JsonObject>) => {
    open.delete(store);
    await store.close();
  };
  const freshId = (tag: string) => `${tag}-${runTag}-${(++counter).toString(36)}`;

  const context: SuiteContext = {
    name,
    namespace,
    factory,
    capabilities,
    get store() {
      if (!shared) throw new Error('the conformance store is only available inside tests and hooks');
      return shared;
    },
    get inspector() {
      return inspector;
    },
    openStore,
    quietNamespace,
    openQuietStore: (options?: ConformanceStoreOptions) => openIn(quietNamespace, options),
    closeStore,
    freshIds: () => ({ userId: freshId('user'), sessionId: freshId('session') }),
    freshId,
  };

  return {
    context,
    async start() {
      shared = await openStore();
      inspector = factory.inspector ? await factory.inspector(namespace) : undefined;
    },
    async stop() {
      const stores = [...open];
      open.clear();
      // Close everything even when one close fails, then report the first failure.
      const results = await Promise.allSettled(stores.map((store) => store.close()));
      await factory.teardown?.();
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
  };
}
