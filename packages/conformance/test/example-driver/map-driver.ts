import {
  compareListOrder,
  expiryFrom,
  forkMetadata,
  mergeMetadata,
  utf8Length,
  type AppendOutcome,
  type AppendRequest,
  type At,
  type CreateRequest,
  type ForkRequest,
  type GetOrCreateRequest,
  type GetRequest,
  type JsonObject,
  type ListRequest,
  type Outcome,
  type ReadRequest,
  type ReplaceTailOutcome,
  type ReplaceTailRequest,
  type RestoreMessagesRequest,
  type RestoreSessionRequest,
  type RewriteOutcome,
  type RewriteRequest,
  type SessionDriver,
  type SessionInfo,
  type SessionRef,
  type SessionWithEntries,
  type StoredEntry,
  type TrimRequest,
  type UpdateRequest,
} from '@sessions/core';

/** One session as the example keeps it: the record, its entries (ascending seq) and its applied keys. */
export interface Row {
  userId: string;
  id: string;
  metadata: JsonObject;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  ttlMs: number | null;
  lastSeq: number;
  entries: StoredEntry[];
  keys: Map<string, ReplaceTailOutcome>;
}

/** The "server": every row, keyed by `[userId, sessionId]`. Share one between drivers to share data. */
export type Rows = Map<string, Row>;

const keyOf = (userId: string, sessionId: string) => JSON.stringify([userId, sessionId]);

/**
 * A complete `SessionDriver` over a `Map`. No method awaits between its read and its write,
 * so each runs as one atomic step, which a real backend gets from a transaction or a script.
 * Everything else (input checks, clock, TTL defaults, limits, codecs, errors) is the store's.
 */
export class MapDriver implements SessionDriver {
  readonly backend = 'map';

  constructor(private readonly rows: Rows = new Map()) {}

  async create(r: CreateRequest): Promise<Outcome<SessionInfo, 'already_exists'>> {
    if (this.live(r.userId, r.sessionId, r.now)) return { failure: 'already_exists' };
    return info(this.put(r.userId, r.sessionId, r.metadata, r.ttlMs, r.now));
  }

  async get(r: GetRequest): Promise<SessionWithEntries | null> {
    const row = this.live(r.userId, r.sessionId, r.now);
    return row ? { session: info(row), entries: newest(row.entries, r.limit) } : null;
  }

  async getOrCreate(r: GetOrCreateRequest): Promise<SessionWithEntries & { created: boolean }> {
    const found = this.live(r.userId, r.sessionId, r.now);
    const row = found ?? this.put(r.userId, r.sessionId, r.metadata, r.ttlMs, r.now);
    return { session: info(row), entries: newest(row.entries, r.limit), created: !found };
  }

  async read(r: ReadRequest): Promise<StoredEntry[]> {
    const inRange = (this.live(r.userId, r.sessionId, r.now)?.entries ?? []).filter(
      (e) => (r.afterSeq === undefined || e.seq > r.afterSeq) && (r.beforeSeq === undefined || e.seq < r.beforeSeq),
    );
    if (r.limit === undefined) return inRange;
    return r.from === 'start' ? inRange.slice(0, r.limit) : newest(inRange, r.limit);
  }

  async append(r: AppendRequest): Promise<Outcome<AppendOutcome, 'not_found' | 'conflict'>> {
    const result = await this.replaceTail({ ...r, afterSeq: Number.MAX_SAFE_INTEGER });
    if ('failure' in result) return result;
    return { firstSeq: result.firstSeq, lastSeq: result.lastSeq, duplicate: result.duplicate };
  }

  async replaceTail(r: ReplaceTailRequest): Promise<Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'>> {
    let row = this.live(r.userId, r.sessionId, r.now);
    // The contract's order: idempotency key, then expectedLastSeq, then create, then write.
    const applied = r.idempotencyKey === undefined ? undefined : row?.keys.get(r.idempotencyKey);
    if (applied) return { ...applied, duplicate: true };
    const lastSeq = row?.lastSeq ?? 0;
    if (r.expectedLastSeq !== undefined && r.expectedLastSeq !== lastSeq) return { failure: 'conflict', lastSeq };
    if (!row) {
      if (r.texts.length === 0) return { removed: 0, firstSeq: 1, lastSeq: 0, duplicate: false };
      if (!r.create) return { failure: 'not_found' };
      row = this.put(r.userId, r.sessionId, {}, r.ttlMs, r.now);
    }
    const kept = row.entries.filter((e) => e.seq <= r.afterSeq);
    const removed = row.entries.length - kept.length;
    row.entries = [...kept, ...r.texts.map((text, i) => ({ seq: lastSeq + 1 + i, createdAt: r.now, text }))];
    row.lastSeq = lastSeq + r.texts.length;
    touch(row, r.now);
    const result = { removed, firstSeq: lastSeq + 1, lastSeq: row.lastSeq, duplicate: false };
    if (r.idempotencyKey !== undefined) row.keys.set(r.idempotencyKey, result);
    return result;
  }

  async pop(r: SessionRef & At): Promise<StoredEntry | null> {
    const row = this.live(r.userId, r.sessionId, r.now);
    const entry = row?.entries.pop();
    if (!row || !entry) return null;
    touch(row, r.now);
    return entry;
  }

  async clear(r: SessionRef & At): Promise<void> {
    const row = this.live(r.userId, r.sessionId, r.now);
    if (!row) return;
    row.entries = [];
    touch(row, r.now);
  }

  async trim(r: TrimRequest): Promise<number> {
    const row = this.live(r.userId, r.sessionId, r.now);
    if (!row) return 0;
    const before = row.entries.length;
    row.entries = row.entries.filter((e) => e.seq >= r.beforeSeq);
    touch(row, r.now);
    return before - row.entries.length;
  }

  async rewrite(r: RewriteRequest): Promise<Outcome<RewriteOutcome, 'not_found' | 'conflict'>> {
    const row = this.live(r.userId, r.sessionId, r.now);
    if (!row) return { failure: 'not_found' };
    if (r.expectedLastSeq !== undefined && r.expectedLastSeq !== row.lastSeq) return { failure: 'conflict', lastSeq: row.lastSeq };
    const texts = new Map(r.entries.map((e) => [e.seq, e.text]));
    const held = new Set(row.entries.map((e) => e.seq));
    // Replace entries rather than change them: a fork shares its source's entry objects.
    row.entries = row.entries.map((e) => ({ ...e, text: texts.get(e.seq) ?? e.text }));
    touch(row, r.now);
    const missing = r.entries.map((e) => e.seq).filter((seq) => !held.has(seq));
    return { rewritten: r.entries.length - missing.length, missing };
  }

  async fork(r: ForkRequest): Promise<Outcome<SessionInfo, 'not_found' | 'already_exists' | 'metadata_too_large'>> {
    const source = this.live(r.userId, r.sessionId, r.now);
    if (!source) return { failure: 'not_found' };
    if (this.live(r.userId, r.newSessionId, r.now)) return { failure: 'already_exists' };
    const upto = Math.min(r.uptoSeq ?? source.lastSeq, source.lastSeq);
    const metadata = forkMetadata(source.metadata, r.sessionId, upto, r.patch);
    const bytes = utf8Length(JSON.stringify(metadata));
    if (bytes > r.maxMetadataBytes) return { failure: 'metadata_too_large', bytes };
    const fork = this.put(r.userId, r.newSessionId, metadata, source.ttlMs, r.now);
    fork.lastSeq = upto;
    fork.entries = source.entries.filter((e) => e.seq <= upto);
    return info(fork);
  }

  async update(r: UpdateRequest): Promise<Outcome<SessionInfo, 'not_found' | 'metadata_too_large'>> {
    const row = this.live(r.userId, r.sessionId, r.now);
    if (!row) return { failure: 'not_found' };
    const metadata = mergeMetadata(row.metadata, r.patch);
    const bytes = utf8Length(JSON.stringify(metadata));
    if (bytes > r.maxMetadataBytes) return { failure: 'metadata_too_large', bytes };
    row.metadata = metadata;
    if (r.ttlMs !== undefined) row.ttlMs = r.ttlMs;
    touch(row, r.now);
    return info(row);
  }

  async delete(r: SessionRef & At): Promise<boolean> {
    const existed = this.live(r.userId, r.sessionId, r.now) !== undefined;
    this.rows.delete(keyOf(r.userId, r.sessionId));
    return existed;
  }

  async deleteUser(r: { userId: string } & At): Promise<number> {
    const rows = [...this.rows.values()].filter((row) => row.userId === r.userId);
    for (const row of rows) this.rows.delete(keyOf(row.userId, row.id));
    return rows.filter((row) => isLive(row, r.now)).length;
  }

  async list(r: ListRequest): Promise<SessionInfo[]> {
    const position = (row: Row) => ({ updatedAt: row.updatedAt, id: row.id });
    return [...this.rows.values()]
      .filter((row) => row.userId === r.userId && isLive(row, r.now))
      .filter((row) => r.cursor === null || compareListOrder(position(row), r.cursor) > 0)
      .sort((a, b) => compareListOrder(position(a), position(b)))
      .slice(0, r.limit + 1) // one more than the page: it tells the store that a next page exists
      .map(info);
  }

  async *listUsers(r: At): AsyncIterable<string> {
    yield* new Set([...this.rows.values()].filter((row) => isLive(row, r.now)).map((row) => row.userId));
  }

  async restoreSession(r: RestoreSessionRequest): Promise<Outcome<void, 'already_exists'>> {
    const s = r.snapshot;
    if (this.live(r.userId, s.id, r.now)) return { failure: 'already_exists' };
    const row = this.put(r.userId, s.id, s.metadata, null, s.createdAt);
    // Every write sets expiresAt = updatedAt + ttlMs, so the source's TTL is their difference.
    Object.assign(row, { updatedAt: s.updatedAt, expiresAt: s.expiresAt, lastSeq: s.lastSeq });
    row.ttlMs = s.expiresAt === null ? null : Math.max(1, s.expiresAt - s.updatedAt);
    return undefined;
  }

  async restoreMessages(r: RestoreMessagesRequest): Promise<Outcome<void, 'not_found' | 'out_of_bounds'>> {
    const row = this.live(r.userId, r.sessionId, r.now);
    if (!row) return { failure: 'not_found' };
    const highestHeld = row.entries.at(-1)?.seq ?? 0;
    const [first, last] = [r.entries[0], r.entries.at(-1)];
    if (first && last && (first.seq <= highestHeld || last.seq > row.lastSeq)) {
      return { failure: 'out_of_bounds', highestHeld, lastSeq: row.lastSeq };
    }
    row.entries = [...row.entries, ...r.entries];
    return undefined;
  }

  async purgeExpired(r: { batchSize: number } & At): Promise<number> {
    const expired = [...this.rows].filter(([, row]) => !isLive(row, r.now));
    for (const [key] of expired) this.rows.delete(key);
    return expired.length;
  }

  async ping(): Promise<void> {
    // The Map is in this process: always reachable. A real driver makes one round trip here.
  }

  async close(): Promise<void> {
    // Nothing to release. A real driver closes a client it opened, never one it was given.
  }

  /** The live row, or `undefined`; an expired row is deleted on the way, as a real TTL would. */
  private live(userId: string, sessionId: string, now: number): Row | undefined {
    const row = this.rows.get(keyOf(userId, sessionId));
    if (row && isLive(row, now)) return row;
    this.rows.delete(keyOf(userId, sessionId));
    return undefined;
  }

  private put(userId: string, id: string, metadata: JsonObject, ttlMs: number | null, now: number): Row {
    const expiresAt = expiryFrom(now, ttlMs);
    const row: Row = { userId, id, metadata, createdAt: now, updatedAt: now, expiresAt, ttlMs, lastSeq: 0, entries: [], keys: new Map() };
    this.rows.set(keyOf(userId, id), row);
    return row;
  }
}

const isLive = (row: Row, now: number) => row.expiresAt === null || row.expiresAt > now;

/** A write: bumps `updatedAt` and slides the expiry. */
function touch(row: Row, now: number): void {
  row.updatedAt = now;
  row.expiresAt = expiryFrom(now, row.ttlMs);
}

function newest(entries: StoredEntry[], limit: number | undefined): StoredEntry[] {
  if (limit === undefined) return entries.slice();
  return limit === 0 ? [] : entries.slice(-limit);
}

/** The record as the store wants it: a copy, so no caller can reach the stored metadata. */
function info(row: Row): SessionInfo {
  return {
    userId: row.userId,
    id: row.id,
    metadata: structuredClone(row.metadata),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
    expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt),
    messageCount: row.entries.length,
    lastSeq: row.lastSeq,
  };
}
