import { expiryFrom } from '../clock.js';
import type { CheckedSnapshot, PreparedRestoreBatch } from '../restore-guard.js';
import type { AppendResult, JsonObject, SessionInfo, StoredMessage } from '../types.js';

/**
 * One stored message. The message is kept as its JSON text, so no caller can reach the
 * stored value: every read parses a fresh copy. Entries are never mutated, so a fork can
 * share them with its source.
 */
export interface MessageEntry {
  readonly seq: number;
  /** ms since the epoch. */
  readonly createdAt: number;
  readonly text: string;
}

/** Everything the in-memory store holds for one session. */
export interface SessionState {
  readonly userId: string;
  readonly id: string;
  /** Kept as JSON text for the same reason as messages: copies out, never shared. */
  metadataText: string;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  /** The session's own TTL, slid by every write; `null` = never expires. */
  ttlMs: number | null;
  lastSeq: number;
  /** Ascending by seq. */
  messages: MessageEntry[];
  /** Applied idempotency keys and the result they first gave; kept for the session's life. */
  readonly idempotency: Map<string, AppendResult>;
}

/** A new, empty session written at `now`. */
export function newSessionState(
  userId: string,
  id: string,
  metadata: JsonObject,
  ttlMs: number | null,
  now: number,
): SessionState {
  return {
    userId,
    id,
    metadataText: JSON.stringify(metadata),
    createdAt: now,
    updatedAt: now,
    expiresAt: expiryFrom(now, ttlMs),
    ttlMs,
    lastSeq: 0,
    messages: [],
    idempotency: new Map(),
  };
}

/**
 * A session exactly as a snapshot describes it, with no messages. Its TTL for later writes is
 * `expiresAt - updatedAt`: every write sets `expiresAt = updatedAt + ttlMs`, so that difference
 * is the source's TTL. A snapshot without expiry never expires.
 */
export function restoredSessionState(userId: string, snapshot: CheckedSnapshot): SessionState {
  const state = newSessionState(userId, snapshot.id, snapshot.metadata, null, snapshot.createdAt);
  state.updatedAt = snapshot.updatedAt;
  state.expiresAt = snapshot.expiresAt;
  state.ttlMs = snapshot.expiresAt === null ? null : Math.max(1, snapshot.expiresAt - snapshot.updatedAt);
  state.lastSeq = snapshot.lastSeq;
  return state;
}

/** The entries of a checked `restoreMessages` batch, in its (ascending) seq order. */
export function restoredEntries(batch: PreparedRestoreBatch<unknown>): MessageEntry[] {
  return batch.encoded.map((text, i) => ({ seq: batch.seqs[i] ?? 0, createdAt: batch.createdAt[i] ?? 0, text }));
}

/** `true` while the session has not expired at `now`. */
export function isLive(state: SessionState, now: number): boolean {
  return state.expiresAt === null || state.expiresAt > now;
}

/** Records a write at `now`: bumps `updatedAt` and slides the expiry. */
export function touch(state: SessionState, now: number): void {
  state.updatedAt = now;
  state.expiresAt = expiryFrom(now, state.ttlMs);
}

/** The session's highest held seq, 0 when it holds none. */
export function highestHeldSeq(state: SessionState): number {
  return state.messages[state.messages.length - 1]?.seq ?? 0;
}

/** A fresh copy of the session's record, as the store returns it. */
export function toSessionInfo(state: SessionState): SessionInfo {
  return {
    userId: state.userId,
    id: state.id,
    metadata: JSON.parse(state.metadataText) as JsonObject,
    createdAt: new Date(state.createdAt),
    updatedAt: new Date(state.updatedAt),
    expiresAt: state.expiresAt === null ? null : new Date(state.expiresAt),
    messageCount: state.messages.length,
    lastSeq: state.lastSeq,
  };
}

/** A fresh copy of stored messages `[start, end)`. */
export function toStoredMessages<M>(state: SessionState, start: number, end: number): StoredMessage<M>[] {
  const result: StoredMessage<M>[] = new Array<StoredMessage<M>>(Math.max(0, end - start));
  for (let i = start; i < end; i++) result[i - start] = toStoredMessage<M>(state.messages[i]!);
  return result;
}

/** A fresh copy of one stored message. */
export function toStoredMessage<M>(entry: MessageEntry): StoredMessage<M> {
  return { seq: entry.seq, createdAt: new Date(entry.createdAt), message: JSON.parse(entry.text) as M };
}
