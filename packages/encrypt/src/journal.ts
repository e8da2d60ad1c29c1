import { createHash } from 'node:crypto';
import { isSessionStoreError, utf8Length, type Clock, type Json, type JsonObject, type SessionStore, type StoreErrors, type StoredMessage } from '@sessions/core';
import { rawPages } from './raw-pages.js';

/**
 * The user under which rewrite journals live in the inner store. Hidden from `listUsers`;
 * a journal exists only while a rewrite of one session runs (or after one was interrupted).
 */
export const JOURNAL_USER_ID = '~sessions-encrypt-journal';
/** Messages per append or `restoreMessages` call: under every backend's batch cap (DynamoDB: 98). */
const BATCH_COUNT = 25;
/** Encoded bytes per batch: under every backend's transaction size (DynamoDB: 4 MB). A bigger message goes alone. */
const BATCH_BYTES = 1024 * 1024;
/** Swap attempts before giving up when appends keep landing between the last pop and the restore. */
const SWAP_ATTEMPTS = 20;

/** When a journal left by another rewrite may be taken over. */
export interface JournalLease {
  /** Idle time after which a journal counts as interrupted. */
  staleAfterMs: number;
  /** The clock the inner store stamps `updatedAt` with. */
  clock: Clock;
}

/** A message's new stored form, `null` to drop it, or the same object to keep it unchanged. */
export type RewriteTransform = (stored: StoredMessage) => StoredMessage | null;

/** The journal session id of one session: a digest, so any user and session id fits the id limit. */
export function journalId(userId: string, sessionId: string): string {
  return createHash('sha256').update(JSON.stringify([userId, sessionId])).digest('hex');
}

/**
 * Rewrites the stored messages of one session (re-encrypt, drop expired) without changing a
 * seq, with only the contract's calls, in three steps:
 * 1. copy every message's new form into a journal session (nothing in the session changes yet);
 * 2. mark the journal complete, then pop every message of the session (pops are atomic and return
 *    what they remove); a popped message the journal lacks (an append that landed meanwhile) is
 *    written to the journal before the next pop;
 * 3. put every journaled message back with `restoreMessages` (same seqs and `createdAt`) and
 *    delete the journal. An append that lands between the last pop and the restore makes the
 *    restore fail; step 2 runs again.
 * A run interrupted after step 1 leaves a complete journal: the next rewrite of that session
 * finishes it first ({@link recoverJournal}), so no message is ever lost.
 * Returns how many messages changed.
 */
export async function rewriteSession(
  inner: SessionStore<JsonObject>,
  errors: StoreErrors,
  userId: string,
  sessionId: string,
  transform: RewriteTransform,
  lease: JournalLease,
): Promise<number> {
  await recoverJournal(inner, errors, userId, sessionId, transform, lease);
  const planned: JournalRecord[] = [];
  let changed = 0;
  for await (const page of rawPages(inner, userId, sessionId)) {
    for (const stored of page) {
      const next = transform(stored);
      if (next !== stored) changed++;
      planned.push(toRecord(stored, next));
    }
  }
  if (changed === 0) return 0;
  const id = journalId(userId, sessionId);
  try {
    await inner.createSession(JOURNAL_USER_ID, { sessionId: id, ttlMs: null, metadata: { userId, sessionId, phase: 'copying' } });
  } catch (error) {
    if (isSessionStoreError(error, 'ALREADY_EXISTS')) {
      throw errors.make('CONFLICT', `another rewrite of session ${JSON.stringify(sessionId)} of user ${JSON.stringify(userId)} is running; run one re-encryption or purge per session at a time`, error);
    }
    throw error;
  }
  await journalAppend(inner, id, planned);
  // From here on the journal is the source of truth for every seq it holds.
  await inner.updateSession(JOURNAL_USER_ID, id, { metadata: { phase: 'swapping' } });
  await swap(inner, errors, userId, sessionId, transform);
  return changed;
}

/**
 * Finishes (or discards, when it never got complete) a journal left by an interrupted rewrite.
 * `true` if there was one. A journal written to less than `staleAfterMs` ago belongs to a
 * rewrite still running: `CONFLICT`.
 */
export async function recoverJournal(
  inner: SessionStore<JsonObject>,
  errors: StoreErrors,
  userId: string,
  sessionId: string,
  transform: RewriteTransform,
  lease: JournalLease,
): Promise<boolean> {
  const journal = await inner.getSession(JOURNAL_USER_ID, journalId(userId, sessionId), { limit: 0 });
  if (!journal) return false;
  // Two rewriters swapping the same session could each hold popped messages the other never
  // sees: take over a journal only once it has been idle long enough to be an interrupted run.
  const idleMs = lease.clock() - journal.updatedAt.getTime();
  if (idleMs < lease.staleAfterMs) {
    throw errors.make('CONFLICT', `a rewrite of session ${JSON.stringify(sessionId)} of user ${JSON.stringify(userId)} is running (its journal was written ${idleMs} ms ago); retry once it has been idle for staleAfterMs (${lease.staleAfterMs} ms)`);
  }
  if (journal.metadata['phase'] === 'swapping') await swap(inner, errors, userId, sessionId, transform);
  else await inner.deleteSession(JOURNAL_USER_ID, journal.id);
  return true;
}

/** One journaled message: its new stored form, or `message: null` when the rewrite drops it. */
interface JournalRecord {
  [key: string]: Json;
  seq: number;
  /** ms since the epoch. */
  createdAt: number;
  message: JsonObject | null;
}

function toRecord(stored: StoredMessage, next: StoredMessage | null): JournalRecord {
  return { seq: stored.seq, createdAt: stored.createdAt.getTime(), message: next ? next.message : null };
}

async function swap(
  inner: SessionStore<JsonObject>,
  errors: StoreErrors,
  userId: string,
  sessionId: string,
  transform: RewriteTransform,
): Promise<void> {
  const id = journalId(userId, sessionId);
  const journaled = await readJournal(inner, id);
  for (let attempt = 0; attempt < SWAP_ATTEMPTS; attempt++) {
    for (;;) {
      const popped = await inner.popMessage(userId, sessionId);
      if (popped === null) break;
      if (journaled.has(popped.seq)) continue;
      // Written before the next pop: once popped, the journal is its only copy. A message the
      // transform cannot handle (undecryptable) is kept exactly as it was.
      const record = toRecord(popped, keepOnError(transform, popped));
      await journalAppend(inner, id, [record]);
      journaled.set(popped.seq, record);
    }
    const restore = [...journaled.values()]
      .filter((record) => record.message !== null)
      .sort((a, b) => a.seq - b.seq)
      .map((record) => ({ seq: record.seq, createdAt: new Date(record.createdAt), message: record.message! }));
    try {
      for (const batch of batches(restore, (m) => m.message)) await inner.restoreMessages(userId, sessionId, batch);
    } catch (error) {
      // An append landed after the last pop: pop again (what was restored is journaled already).
      if (isSessionStoreError(error, 'INVALID_ARGUMENT') && (await holdsUnjournaled(inner, userId, sessionId, journaled))) continue;
      // The session was deleted (or expired) meanwhile: there is nothing left to put back.
      if (!isSessionStoreError(error, 'NOT_FOUND')) throw error;
    }
    await inner.deleteSession(JOURNAL_USER_ID, id);
    return;
  }
  throw errors.make('CONFLICT', `session ${JSON.stringify(sessionId)} of user ${JSON.stringify(userId)} kept receiving appends during its rewrite; its journal is kept and the next rewrite of the session finishes it`);
}

function keepOnError(transform: RewriteTransform, stored: StoredMessage): StoredMessage | null {
  try {
    return transform(stored);
  } catch {
    return stored;
  }
}

/** The journal's records by seq. */
async function readJournal(inner: SessionStore<JsonObject>, id: string): Promise<Map<number, JournalRecord>> {
  const records = new Map<number, JournalRecord>();
  for await (const page of rawPages(inner, JOURNAL_USER_ID, id)) {
    for (const { message } of page) {
      const record = message as JournalRecord;
      records.set(record.seq, record);
    }
  }
  return records;
}

async function journalAppend(inner: SessionStore<JsonObject>, id: string, records: JournalRecord[]): Promise<void> {
  for (const batch of batches(records, (record) => record)) await inner.append(JOURNAL_USER_ID, id, batch, { create: false });
}

/** `true` when the session's newest message is not one of the journal's: another writer appended it. */
async function holdsUnjournaled(inner: SessionStore<JsonObject>, userId: string, sessionId: string, journaled: Map<number, JournalRecord>): Promise<boolean> {
  const [newest] = await inner.getMessages(userId, sessionId, { limit: 1 });
  return newest !== undefined && !journaled.has(newest.seq);
}

/** Splits `items` into batches of at most {@link BATCH_COUNT} items and about {@link BATCH_BYTES} encoded bytes. */
function* batches<T>(items: T[], payload: (item: T) => JsonObject): Generator<T[]> {
  let batch: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = utf8Length(JSON.stringify(payload(item)));
    if (batch.length > 0 && (batch.length >= BATCH_COUNT || bytes + size > BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(item);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
