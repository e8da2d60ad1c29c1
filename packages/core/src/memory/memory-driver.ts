import type {
  AppendOutcome,
  AppendRequest,
  At,
  CreateRequest,
  ForkRequest,
  GetOrCreateRequest,
  GetRequest,
  ListRequest,
  Outcome,
  ReadRequest,
  ReplaceTailOutcome,
  ReplaceTailRequest,
  RestoreMessagesRequest,
  RestoreSessionRequest,
  RewriteOutcome,
  RewriteRequest,
  SessionDriver,
  SessionRef,
  SessionWithEntries,
  StoredEntry,
  TrimRequest,
  UpdateRequest,
} from '../driver/session-driver.js';
import { forkMetadata, mergeMetadata } from '../metadata.js';
import { utf8Length } from '../json.js';
import type { JsonObject, SessionInfo } from '../types.js';
import { listPage } from './list-page.js';
import { MemoryBacking } from './memory-backing.js';
import { indexAfter, indexAtOrAfter, selectRange } from './seq-range.js';
import {
  highestHeldSeq,
  isLive,
  newSessionState,
  restoredSessionState,
  toSessionInfo,
  touch,
  type MessageEntry,
  type SessionState,
} from './session-state.js';

/** The backend name in the in-memory store's error messages. */
export const MEMORY_BACKEND = 'memory';

/**
 * The in-memory driver: sessions in a {@link MemoryBacking} of this process. Every method is
 * synchronous inside (no await between its read and its write), which is what makes each one
 * atomic here. Entries are immutable and kept as text, so a fork can share them with its source.
 */
export class MemoryDriver implements SessionDriver {
  readonly backend = MEMORY_BACKEND;
  private readonly ownsData: boolean;

  constructor(private readonly data: MemoryBacking = new MemoryBacking(), owns = true) {
    this.ownsData = owns;
  }

  async create(request: CreateRequest): Promise<Outcome<SessionInfo, 'already_exists'>> {
    if (this.data.live(request.userId, request.sessionId, request.now)) return { failure: 'already_exists' };
    const state = newSessionState(request.userId, request.sessionId, request.metadata, request.ttlMs, request.now);
    this.data.put(state);
    this.data.notify(request.userId, request.sessionId);
    return toSessionInfo(state);
  }

  async get(request: GetRequest): Promise<SessionWithEntries | null> {
    const state = this.data.live(request.userId, request.sessionId, request.now);
    return state ? withEntries(state, request.limit) : null;
  }

  async getOrCreate(request: GetOrCreateRequest): Promise<SessionWithEntries & { created: boolean }> {
    const existing = this.data.live(request.userId, request.sessionId, request.now);
    if (existing) return { ...withEntries(existing, request.limit), created: false };
    const state = newSessionState(request.userId, request.sessionId, request.metadata, request.ttlMs, request.now);
    this.data.put(state);
    this.data.notify(request.userId, request.sessionId);
    return { ...withEntries(state, request.limit), created: true };
  }

  async read(request: ReadRequest): Promise<StoredEntry[]> {
    const state = this.data.live(request.userId, request.sessionId, request.now);
    if (!state) return [];
    const [start, end] = selectRange(state.messages, request);
    return state.messages.slice(start, end).map(copyEntry);
  }

  async append(request: AppendRequest): Promise<Outcome<AppendOutcome, 'not_found' | 'conflict'>> {
    const result = this.replace({ ...request, afterSeq: undefined });
    if ('removed' in result) return { firstSeq: result.firstSeq, lastSeq: result.lastSeq, duplicate: result.duplicate };
    return result;
  }

  async replaceTail(request: ReplaceTailRequest): Promise<Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'>> {
    return this.replace(request);
  }

  async pop(request: SessionRef & At): Promise<StoredEntry | null> {
    const state = this.data.live(request.userId, request.sessionId, request.now);
    const entry = state?.messages.pop();
    if (!state || !entry) return null;
    touch(state, request.now);
    this.data.notify(request.userId, request.sessionId);
    return copyEntry(entry);
  }

  async clear(request: SessionRef & At): Promise<void> {
    const state = this.data.live(request.userId, request.sessionId, request.now);
    if (!state) return;
    state.messages = [];
    touch(state, request.now);
    this.data.notify(request.userId, request.sessionId);
  }

  async trim(request: TrimRequest): Promise<number> {
    const state = this.data.live(request.userId, request.sessionId, request.now);
    if (!state) return 0;
    const cut = indexAtOrAfter(state.messages, request.beforeSeq);
    if (cut > 0) state.messages = state.messages.slice(cut);
    touch(state, request.now);
    this.data.notify(request.userId, request.sessionId);
    return cut;
  }

  async rewrite(request: RewriteRequest): Promise<Outcome<RewriteOutcome, 'not_found' | 'conflict'>> {
    const state = this.data.live(request.userId, request.sessionId, request.now);
    if (!state) return { failure: 'not_found' };
    if (request.expectedLastSeq !== undefined && request.expectedLastSeq !== state.lastSeq) return { failure: 'conflict', lastSeq: state.lastSeq };
    const missing: number[] = [];
    // Entries are shared with forks: replace them, never mutate them.
    const messages = state.messages.slice();
    for (const { seq, text } of request.entries) {
      const index = indexAtOrAfter(messages, seq);
      const entry = messages[index];
      if (!entry || entry.seq !== seq) missing.push(seq);
      else messages[index] = { seq, createdAt: entry.createdAt, text };
    }
    state.messages = messages;
    touch(state, request.now);
    this.data.notify(request.userId, request.sessionId);
    return { rewritten: request.entries.length - missing.length, missing };
  }

  async fork(request: ForkRequest): Promise<Outcome<SessionInfo, 'not_found' | 'already_exists' | 'metadata_too_large'>> {
    const source = this.data.live(request.userId, request.sessionId, request.now);
    if (!source) return { failure: 'not_found' };
    if (this.data.live(request.userId, request.newSessionId, request.now)) return { failure: 'already_exists' };
    const upto = Math.min(request.uptoSeq ?? source.lastSeq, source.lastSeq);
    const metadata = forkMetadata(JSON.parse(source.metadataText) as JsonObject, request.sessionId, upto, request.patch);
    const metadataText = JSON.stringify(metadata);
    const bytes = utf8Length(metadataText);
    if (bytes > request.maxMetadataBytes) return { failure: 'metadata_too_large', bytes };
    const fork = newSessionState(request.userId, request.newSessionId, {}, source.ttlMs, request.now);
    fork.metadataText = metadataText;
    fork.lastSeq = upto;
    fork.messages = source.messages.slice(0, indexAfter(source.messages, upto));
    this.data.put(fork);
    this.data.notify(request.userId, request.newSessionId);
    return toSessionInfo(fork);
  }

  async update(request: UpdateRequest): Promise<Outcome<SessionInfo, 'not_found' | 'metadata_too_large'>> {
    const state = this.data.live(request.userId, request.sessionId, request.now);
    if (!state) return { failure: 'not_found' };
    if (request.patch) {
      const text = JSON.stringify(mergeMetadata(JSON.parse(state.metadataText) as JsonObject, request.patch));
      const bytes = utf8Length(text);
      if (bytes > request.maxMetadataBytes) return { failure: 'metadata_too_large', bytes };
      state.metadataText = text;
    }
    if (request.ttlMs !== undefined) state.ttlMs = request.ttlMs;
    touch(state, request.now);
    this.data.notify(request.userId, request.sessionId);
    return toSessionInfo(state);
  }

  async delete(request: SessionRef & At): Promise<boolean> {
    const existed = this.data.live(request.userId, request.sessionId, request.now) !== undefined;
    this.data.remove(request.userId, request.sessionId);
    this.data.notify(request.userId, request.sessionId);
    return existed;
  }

  async deleteUser(request: { userId: string } & At): Promise<number> {
    const removed = this.data.removeUser(request.userId, request.now);
    this.data.notify(request.userId);
    return removed;
  }

  async list(request: ListRequest): Promise<SessionInfo[]> {
    // listPage pages by `limit`; asking for one more tells the store whether a next page exists.
    return listPage(this.data.sessionsOf(request.userId), request.cursor, request.limit + 1, request.now).items;
  }

  async *listUsers(request: At): AsyncIterable<string> {
    for (const userId of this.data.userIds()) {
      if (this.data.sessionsOf(userId).some((state) => isLive(state, request.now))) yield userId;
    }
  }

  async restoreSession(request: RestoreSessionRequest): Promise<Outcome<void, 'already_exists'>> {
    if (this.data.live(request.userId, request.snapshot.id, request.now)) return { failure: 'already_exists' };
    this.data.put(restoredSessionState(request.userId, request.snapshot));
    this.data.notify(request.userId, request.snapshot.id);
    return undefined;
  }

  async restoreMessages(request: RestoreMessagesRequest): Promise<Outcome<void, 'not_found' | 'out_of_bounds'>> {
    const state = this.data.live(request.userId, request.sessionId, request.now);
    if (!state) return { failure: 'not_found' };
    const first = request.entries[0];
    const last = request.entries[request.entries.length - 1];
    const highestHeld = highestHeldSeq(state);
    if (first && last && (first.seq <= highestHeld || last.seq > state.lastSeq)) {
      return { failure: 'out_of_bounds', highestHeld, lastSeq: state.lastSeq };
    }
    for (const entry of request.entries) state.messages.push(copyEntry(entry));
    this.data.notify(request.userId, request.sessionId);
    return undefined;
  }

  async purgeExpired(request: { batchSize: number } & At): Promise<number> {
    const removed = this.data.removeExpired(request.now);
    if (removed > 0) this.data.notifyAll();
    return removed;
  }

  /** Every write to a session of this backing notifies its listeners, whichever store made it. */
  async subscribe(ref: SessionRef, listener: () => void): Promise<() => Promise<void>> {
    const stop = this.data.listen(ref.userId, ref.sessionId, listener);
    return async () => stop();
  }

  /** Nothing to reach: the data is in this process. */
  async ping(): Promise<void> {
    return undefined;
  }

  async close(): Promise<void> {
    if (this.ownsData) this.data.clear();
  }

  /** Append and replaceTail: one synchronous step, so nothing interleaves. */
  private replace(request: Omit<ReplaceTailRequest, 'afterSeq'> & { afterSeq: number | undefined }): Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'> {
    const { userId, sessionId, now, idempotencyKey: key } = request;
    let state = this.data.live(userId, sessionId, now);
    const applied = key === undefined ? undefined : state?.idempotency.get(key);
    if (applied) return { removed: 0, ...applied, duplicate: true };
    const lastSeq = state?.lastSeq ?? 0;
    if (request.expectedLastSeq !== undefined && request.expectedLastSeq !== lastSeq) return { failure: 'conflict', lastSeq };
    if (!state) {
      if (request.texts.length === 0) return { removed: 0, firstSeq: 1, lastSeq: 0, duplicate: false };
      if (!request.create) return { failure: 'not_found' };
      state = newSessionState(userId, sessionId, {}, request.ttlMs, now);
      this.data.put(state);
    }
    let removed = 0;
    if (request.afterSeq !== undefined) {
      const cut = indexAfter(state.messages, request.afterSeq);
      removed = state.messages.length - cut;
      if (removed > 0) state.messages = state.messages.slice(0, cut);
    }
    for (const [i, text] of request.texts.entries()) state.messages.push({ seq: lastSeq + 1 + i, createdAt: now, text });
    state.lastSeq = lastSeq + request.texts.length;
    touch(state, now);
    const result = { removed, firstSeq: lastSeq + 1, lastSeq: state.lastSeq, duplicate: false };
    if (key !== undefined) state.idempotency.set(key, result);
    this.data.notify(userId, sessionId);
    return { ...result };
  }
}

function withEntries(state: SessionState, limit: number | undefined): SessionWithEntries {
  const [start, end] = selectRange(state.messages, { limit, from: 'end' });
  return { session: toSessionInfo(state), entries: state.messages.slice(start, end).map(copyEntry) };
}

function copyEntry(entry: MessageEntry): StoredEntry {
  return { seq: entry.seq, createdAt: entry.createdAt, text: entry.text };
}
