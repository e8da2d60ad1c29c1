import {
  DriverSessionStore,
  InMemorySessionStore,
  MemoryBacking,
  MemoryDriver,
  SessionStoreError,
  type AppendOptions,
  type AppendResult,
  type GetMessagesOptions,
  type InMemorySessionStoreOptions,
  type JsonObject,
  type ListSessionsOptions,
  type Outcome,
  type Page,
  type ReadRequest,
  type ReplaceTailInput,
  type ReplaceTailOptions,
  type ReplaceTailOutcome,
  type ReplaceTailRequest,
  type ReplaceTailResult,
  type RewriteOutcome,
  type RewriteRequest,
  type SessionInfo,
  type SessionStore,
  type StoredEntry,
  type StoreSession,
  type TrimRequest,
} from '@sessions/core';

/** A store class the mutation suite can build like `InMemorySessionStore`. */
export type StoreClass = new (options: InMemorySessionStoreOptions) => SessionStore;

/**
 * A store over a broken in-memory driver: the one store of core, so only the driver's bug
 * differs from a correct backend (as it would for a new backend written as a driver).
 */
function overDriver(make: (backing: MemoryBacking) => MemoryDriver): StoreClass {
  return class extends DriverSessionStore {
    constructor(options: InMemorySessionStoreOptions = {}) {
      const { backing = new MemoryBacking(), ...storeOptions } = options;
      super(make(backing), storeOptions);
    }
  };
}

/** A memory driver that can reach the session records it works on, to break them. */
class ReachableDriver extends MemoryDriver {
  constructor(protected readonly backing: MemoryBacking) {
    super(backing, false);
  }
}

/**
 * In-memory stores that each break one rule of the contract, on purpose. The mutation test runs
 * the suite against each and expects the named behaviours to fail: proof that the suite would
 * catch a backend that breaks the rule.
 */
export const BROKEN_STORES: Record<string, StoreClass> = {
  /** Rule 4: forgets idempotency keys. */
  ignoresIdempotencyKeys: class extends InMemorySessionStore {
    override append(u: string, s: string, m: JsonObject | JsonObject[], o: AppendOptions = {}): Promise<AppendResult> {
      return super.append(u, s, m, { ...o, idempotencyKey: undefined });
    }
  },
  /** Rule 3: ignores expectedLastSeq. */
  ignoresExpectedLastSeq: class extends InMemorySessionStore {
    override append(u: string, s: string, m: JsonObject | JsonObject[], o: AppendOptions = {}): Promise<AppendResult> {
      return super.append(u, s, m, { ...o, expectedLastSeq: undefined });
    }
  },
  /** Rule 1: writes a batch one message at a time, yielding in between. */
  splitsBatches: class extends InMemorySessionStore {
    override async append(u: string, s: string, m: JsonObject | JsonObject[], o: AppendOptions = {}): Promise<AppendResult> {
      if (!Array.isArray(m) || m.length < 2) return super.append(u, s, m, o);
      const results: AppendResult[] = [];
      for (const one of m) {
        results.push(await super.append(u, s, one, o));
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      const [first] = results;
      const last = results[results.length - 1];
      return { firstSeq: first?.firstSeq ?? 0, lastSeq: last?.lastSeq ?? 0, duplicate: false };
    }
  },
  /** Ranges: counts `limit` from the oldest end always. */
  limitsFromTheStart: class extends InMemorySessionStore {
    override getMessages(u: string, s: string, o: GetMessagesOptions = {}) {
      return super.getMessages(u, s, { ...o, from: 'start' });
    }
  },
  /** Listing: oldest first. */
  listsOldestFirst: class extends InMemorySessionStore {
    override async listSessions(u: string, o: ListSessionsOptions = {}): Promise<Page<SessionInfo>> {
      const page = await super.listSessions(u, o);
      return { ...page, items: page.items.reverse() };
    }
  },
  /** close() does nothing. */
  neverCloses: class extends InMemorySessionStore {
    override async close(): Promise<void> {
      // Deliberately leaves the store open.
      return undefined;
    }
  },

  /** replaceTail: appends without removing anything. */
  replaceTailKeepsTail: overDriver(
    (backing) =>
      new (class extends ReachableDriver {
        override replaceTail(request: ReplaceTailRequest): Promise<Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'>> {
          return super.replaceTail({ ...request, afterSeq: Number.MAX_SAFE_INTEGER });
        }
      })(backing),
  ),
  /** replaceTail: truncates, yields, then appends: two steps another writer can come between. */
  replaceTailInTwoSteps: class extends InMemorySessionStore {
    override async replaceTail(u: string, s: string, input: ReplaceTailInput<JsonObject>, o: ReplaceTailOptions = {}): Promise<ReplaceTailResult> {
      const cut = await super.replaceTail(u, s, { afterSeq: input.afterSeq, messages: [] }, { expectedLastSeq: o.expectedLastSeq, create: o.create });
      if (input.messages.length === 0) return cut;
      await new Promise((resolve) => setTimeout(resolve, 0));
      const added = await super.append(u, s, input.messages, { idempotencyKey: o.idempotencyKey });
      return { ...added, removed: cut.removed };
    }
  },
  /** replaceTail: forgets idempotency keys. */
  replaceTailIgnoresIdempotencyKeys: class extends InMemorySessionStore {
    override replaceTail(u: string, s: string, input: ReplaceTailInput<JsonObject>, o: ReplaceTailOptions = {}): Promise<ReplaceTailResult> {
      return super.replaceTail(u, s, input, { ...o, idempotencyKey: undefined });
    }
  },
  /** replaceTail: lowers lastSeq to the highest kept seq, so removed seqs are given out again. */
  reusesSeqsAfterReplaceTail: overDriver(
    (backing) =>
      new (class extends ReachableDriver {
        override async replaceTail(request: ReplaceTailRequest): Promise<Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'>> {
          const state = this.backing.live(request.userId, request.sessionId, request.now);
          let removed = 0;
          if (state && request.expectedLastSeq === undefined && request.idempotencyKey === undefined) {
            const kept = state.messages.filter((m) => m.seq <= request.afterSeq);
            removed = state.messages.length - kept.length;
            state.messages = kept;
            state.lastSeq = kept[kept.length - 1]?.seq ?? 0;
          }
          const result = await super.replaceTail(request);
          return 'removed' in result ? { ...result, removed: result.removed + removed } : result;
        }
      })(backing),
  ),
  /** trimSession: removes one message too many. */
  trimOffByOne: overDriver(
    (backing) =>
      new (class extends ReachableDriver {
        override trim(request: TrimRequest): Promise<number> {
          return super.trim({ ...request, beforeSeq: request.beforeSeq + 1 });
        }
      })(backing),
  ),
  /** trimSession: neither bumps updatedAt nor slides the TTL. */
  trimDoesNotTouch: overDriver(
    (backing) =>
      new (class extends ReachableDriver {
        override async trim(request: TrimRequest): Promise<number> {
          const state = this.backing.live(request.userId, request.sessionId, request.now);
          const kept = state && { updatedAt: state.updatedAt, expiresAt: state.expiresAt };
          const removed = await super.trim(request);
          if (state && kept) Object.assign(state, kept);
          return removed;
        }
      })(backing),
  ),
  /** rewriteMessages: writes the seqs the session no longer holds (resurrects them). */
  rewriteResurrects: overDriver(
    (backing) =>
      new (class extends ReachableDriver {
        override async rewrite(request: RewriteRequest): Promise<Outcome<RewriteOutcome, 'not_found' | 'conflict'>> {
          const result = await super.rewrite(request);
          const state = this.backing.live(request.userId, request.sessionId, request.now);
          if (!state || !('missing' in result)) return result;
          const back = request.entries.filter((e) => result.missing.includes(e.seq)).map((e) => ({ seq: e.seq, createdAt: request.now, text: e.text }));
          state.messages = [...state.messages, ...back].sort((a, b) => a.seq - b.seq);
          return result;
        }
      })(backing),
  ),
  /** rewriteMessages: reads the entries, yields, writes them all back (a lost update of concurrent appends). */
  rewriteReadModifyWrite: overDriver(
    (backing) =>
      new (class extends ReachableDriver {
        override async rewrite(request: RewriteRequest): Promise<Outcome<RewriteOutcome, 'not_found' | 'conflict'>> {
          const state = this.backing.live(request.userId, request.sessionId, request.now);
          const before = state?.messages.slice();
          await new Promise((resolve) => setTimeout(resolve, 0));
          // Back to the entries as read: whatever was appended meanwhile is lost.
          if (state && before) state.messages = before;
          return super.rewrite(request);
        }
      })(backing),
  ),
  /** trimSession: reads the entries, yields, writes the kept ones back (a lost update of concurrent appends). */
  trimReadModifyWrite: overDriver(
    (backing) =>
      new (class extends ReachableDriver {
        override async trim(request: TrimRequest): Promise<number> {
          const state = this.backing.live(request.userId, request.sessionId, request.now);
          const before = state?.messages.slice();
          await new Promise((resolve) => setTimeout(resolve, 0));
          if (state && before) state.messages = before;
          return super.trim(request);
        }
      })(backing),
  ),
  /** rewriteMessages: gives rewritten messages a new createdAt. */
  rewriteMovesCreatedAt: overDriver(
    (backing) =>
      new (class extends ReachableDriver {
        override async rewrite(request: RewriteRequest): Promise<Outcome<RewriteOutcome, 'not_found' | 'conflict'>> {
          const result = await super.rewrite(request);
          const state = this.backing.live(request.userId, request.sessionId, request.now);
          const seqs = new Set(request.entries.map((e) => e.seq));
          if (state) state.messages = state.messages.map((m) => (seqs.has(m.seq) ? { ...m, createdAt: request.now } : m));
          return result;
        }
      })(backing),
  ),
  /** Paged reads: the driver returns at most 5 entries per read, whatever the limit (a server-side page cap it does not follow). */
  readsCappedPages: overDriver(
    (backing) =>
      new (class extends ReachableDriver {
        override async read(request: ReadRequest): Promise<StoredEntry[]> {
          const page = await super.read(request);
          return request.from === 'start' ? page.slice(0, 5) : page.slice(-5);
        }
      })(backing),
  ),
  /** Batch caps: maxBatchMessages and maxBatchBytes ignored. */
  ignoresBatchCaps: class extends InMemorySessionStore {
    constructor(options: InMemorySessionStoreOptions = {}) {
      super({ ...options, maxBatchMessages: undefined, maxBatchBytes: undefined });
    }
  },
  /** The session handle: binds the two ids the wrong way round. */
  handleSwapsIds: class extends InMemorySessionStore {
    override session(userId: string, sessionId: string): StoreSession<JsonObject> {
      return super.session(sessionId, userId);
    }
  },
  /** setup(): fails when run a second time. */
  setupOnlyOnce: class extends InMemorySessionStore {
    private ran = false;
    override async setup(): Promise<void> {
      if (this.ran) throw new SessionStoreError('UNAVAILABLE', 'already set up', { backend: 'memory' });
      this.ran = true;
    }
  },
};
