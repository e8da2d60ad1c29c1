import type { JsonObject, StoredMessage } from '@sessions/core';
import { asEnvelope } from './envelope.js';
import type { EncryptedSessionStore } from './encrypted-store.js';
import { rewriteSession, type JournalLease, type RewriteTransform } from './journal.js';

/** Options of re-encryption and message purges. */
export interface RewriteOptions {
  /**
   * A journal left by another rewrite of the same session is taken over (finished) only after
   * it has been idle this long; before that the call fails with `CONFLICT`, because a rewrite is
   * probably still running. Set it above your longest rewrite of one session.
   * @default 60000
   */
  staleAfterMs?: number;
}

/** What a re-encryption or purge did. */
export interface RewriteReport {
  /** Sessions whose stored data changed. */
  sessions: number;
  /** Messages re-encrypted or removed. */
  messages: number;
}

/** Default of {@link RewriteOptions.staleAfterMs}. */
export const DEFAULT_STALE_AFTER_MS = 60_000;

/**
 * Re-encrypts one session under the keyring's current key: every message and metadata value
 * written under another key is opened and sealed again. Seqs and `createdAt` stay; messages
 * appended meanwhile are kept (see {@link rewriteSession}).
 */
export async function reencryptSession<M extends JsonObject>(
  store: EncryptedSessionStore<M>,
  userId: string,
  sessionId: string,
  options: RewriteOptions = {},
): Promise<RewriteReport> {
  store.ensureOpen();
  const user = store.guard.userId(userId);
  const id = store.guard.sessionId(sessionId);
  const currentKeyId = store.keyring.currentKeyId;
  const transform: RewriteTransform = (stored) => {
    if (asEnvelopeKeyId(stored) === currentKeyId) return stored;
    // Undecryptable data is left as it is (with onDecryptError "skip" too): rotation never destroys data.
    const opened = store.codec.openMessage<JsonObject>(user, id, stored);
    if (!opened) return stored;
    return { ...stored, message: store.codec.sealMessage(user, id, JSON.stringify(opened.message)) };
  };
  const messages = await rewriteSession(store.inner, store.errors, user, id, transform, lease(store, options));
  const metadataChanged = await reencryptMetadata(store, user, id);
  return { sessions: messages > 0 || metadataChanged ? 1 : 0, messages };
}

/** Re-encrypts every session of a user under the current key (see {@link reencryptSession}). */
export async function reencryptUser<M extends JsonObject>(
  store: EncryptedSessionStore<M>,
  userId: string,
  options: RewriteOptions = {},
): Promise<RewriteReport> {
  const report: RewriteReport = { sessions: 0, messages: 0 };
  for (const sessionId of await sessionIds(store, userId)) {
    const one = await reencryptSession(store, userId, sessionId, options);
    report.sessions += one.sessions;
    report.messages += one.messages;
  }
  return report;
}

/**
 * Removes messages older than the store's `messageTtlMs` from every session of every user (or
 * of one user), keeping seqs. Reads already hide them; this frees the space.
 */
export async function purgeExpiredMessages<M extends JsonObject>(
  store: EncryptedSessionStore<M>,
  options: RewriteOptions & { userId?: string } = {},
): Promise<RewriteReport> {
  store.ensureOpen();
  const report: RewriteReport = { sessions: 0, messages: 0 };
  if (store.messageTtl.ttlMs === undefined) return report;
  const users = options.userId === undefined ? store.listUsers() : [store.guard.userId(options.userId)];
  for await (const user of users) {
    for (const id of await sessionIds(store, user)) {
      const [oldest] = await store.inner.getMessages(user, id, { from: 'start', limit: 1 });
      if (!oldest || !store.messageTtl.isExpired(oldest)) continue;
      const transform: RewriteTransform = (stored: StoredMessage) => (store.messageTtl.isExpired(stored) ? null : stored);
      const removed = await rewriteSession(store.inner, store.errors, user, id, transform, lease(store, options));
      if (removed > 0) report.sessions++;
      report.messages += removed;
    }
  }
  return report;
}

async function reencryptMetadata<M extends JsonObject>(store: EncryptedSessionStore<M>, userId: string, sessionId: string): Promise<boolean> {
  const session = await store.inner.getSession(userId, sessionId, { limit: 0 });
  if (!session) return false;
  const stale = Object.entries(session.metadata).filter(([, value]) => {
    const keyId = envelopeKeyId(value);
    return keyId !== undefined && keyId !== store.keyring.currentKeyId;
  });
  if (stale.length === 0) return false;
  const opened = store.codec.openMetadata(userId, sessionId, Object.fromEntries(stale));
  // Only the stale keys are written: a concurrent update of another key is not undone.
  await store.inner.updateSession(userId, sessionId, { metadata: store.codec.sealMetadata(userId, sessionId, opened) });
  return true;
}

async function sessionIds<M extends JsonObject>(store: EncryptedSessionStore<M>, userId: string): Promise<string[]> {
  // Listed first, rewritten after: rewriting bumps updatedAt, which reorders the listing.
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.inner.listSessions(userId, { limit: 1000, cursor });
    for (const info of page.items) ids.push(info.id);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

function lease<M extends JsonObject>(store: EncryptedSessionStore<M>, options: RewriteOptions): JournalLease {
  return { staleAfterMs: options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS, clock: store.clock };
}

function asEnvelopeKeyId(stored: StoredMessage): string | undefined {
  return envelopeKeyId(stored.message);
}

function envelopeKeyId(value: unknown): string | undefined {
  try {
    return asEnvelope(value).kid;
  } catch {
    return undefined;
  }
}
