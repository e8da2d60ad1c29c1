import {
  InMemorySessionStore,
  type AppendOptions,
  type AppendResult,
  type GetMessagesOptions,
  type InMemorySessionStoreOptions,
  type JsonObject,
  type ListSessionsOptions,
  type Page,
  type SessionInfo,
} from '@sessions/core';

/**
 * In-memory stores that each break one rule of the contract, on purpose. The mutation test runs
 * the suite against each and expects the named behaviours to fail: proof that the suite would
 * catch a backend that breaks the rule.
 */
export const BROKEN_STORES: Record<string, new (options: InMemorySessionStoreOptions) => InMemorySessionStore> = {
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
};
