import { isSessionStoreError, utf8Length, type JsonObject, type MessageRewrite } from '@sessions/core';
import type { DecodeWatch } from './decode-watch.js';
import type { EncryptionCodec } from './encryption-codec.js';
import {
  batchSizeOf,
  requireCodecInUse,
  sessionIds,
  type MaintainedStore,
  type MaintenanceOptions,
  type MaintenanceReport,
} from './maintained-store.js';

// Plaintext bytes per rewriteMessages call: far under every backend's request size.
const BATCH_BYTES = 1024 * 1024;

/**
 * Re-encrypts one session under the keyring's current key (and in the current envelope format):
 * its messages, a bounded batch at a time, each read with `readHistory` and written back in place
 * with `rewriteMessages` (same seqs, same `createdAt`), then its stale metadata values. `store`
 * must use `codec`.
 *
 * Safe with other clients at work: an append lands at a new seq (read later, or already under
 * the current key); a message popped, cleared or trimmed meanwhile is reported `missing` by
 * `rewriteMessages` and stays removed. Re-running it is harmless (nothing stale, nothing
 * written). Messages that cannot be decrypted are left as they are (with `onDecryptError:
 * "skip"`; with `"throw"` the rotation stops with `DECRYPT_FAILED`). A redaction
 * (`rewriteMessages` by the application) of the same message between this call's read and its
 * write would be undone: do not redact a session while it is being rotated.
 */
export async function reencryptSession(
  store: MaintainedStore,
  codec: EncryptionCodec,
  userId: string,
  sessionId: string,
  options: MaintenanceOptions = {},
): Promise<MaintenanceReport> {
  const batchSize = batchSizeOf(store, codec, options);
  // Read first: the store checks and trims the ids, and the codec sees them as the store does.
  const info = await store.getSession(userId, sessionId, { limit: 0 });
  if (!info) return { sessions: 0, messages: 0 };
  const context = { userId: info.userId, sessionId: info.id };
  return codec.watches.with(context, async (watch) => {
    const { rewritten: messages, read } = await rewriteStale(store, watch, context, batchSize);
    requireCodecInUse(codec, watch.decodes, read);
    const metadata = await reencryptMetadata(store, watch, context);
    return { sessions: messages > 0 || metadata ? 1 : 0, messages };
  });
}

/** {@link reencryptSession} for every session of a user. */
export async function reencryptUser(
  store: MaintainedStore,
  codec: EncryptionCodec,
  userId: string,
  options: MaintenanceOptions = {},
): Promise<MaintenanceReport> {
  const report: MaintenanceReport = { sessions: 0, messages: 0 };
  for (const sessionId of await sessionIds(store, userId)) {
    const one = await reencryptSession(store, codec, userId, sessionId, options);
    report.sessions += one.sessions;
    report.messages += one.messages;
  }
  return report;
}

/** Rewrites the stale messages; returns how many were rewritten and how many were read. */
async function rewriteStale(
  store: MaintainedStore,
  watch: DecodeWatch,
  context: { userId: string; sessionId: string },
  batchSize: number,
): Promise<{ rewritten: number; read: number }> {
  let rewritten = 0;
  let read = 0;
  let batch: MessageRewrite<JsonObject>[] = [];
  let bytes = 0;
  // Stale seqs reported by the codec and not yet reached. A watch may also hold what another
  // reader of the session in this process decoded meanwhile: only the seqs this loop reads count.
  const stale = new Set<number>();
  const flush = async (): Promise<boolean> => {
    if (batch.length === 0) return true;
    try {
      rewritten += (await store.rewriteMessages(context.userId, context.sessionId, batch)).rewritten;
    } catch (error) {
      // Deleted (or expired) meanwhile: nothing left to rotate.
      if (isSessionStoreError(error, 'NOT_FOUND')) return false;
      throw error;
    } finally {
      batch = [];
      bytes = 0;
    }
    return true;
  };
  for await (const message of store.readHistory(context.userId, context.sessionId, { pageSize: batchSize })) {
    read++;
    // The codec reported the page before the store yielded its first message. The reports are
    // moved out of the watch, so it never holds more than a page.
    for (const entry of watch.entries) if (entry.stale) stale.add(entry.seq);
    watch.entries.length = 0;
    if (!stale.delete(message.seq)) continue;
    batch.push({ seq: message.seq, message: message.message });
    bytes += utf8Length(JSON.stringify(message.message));
    if ((batch.length >= batchSize || bytes >= BATCH_BYTES) && !(await flush())) return { rewritten, read };
  }
  await flush();
  return { rewritten, read };
}

/** Seals the stale metadata values again (only those keys: a concurrent update of another key is kept). */
async function reencryptMetadata(store: MaintainedStore, watch: DecodeWatch, context: { userId: string; sessionId: string }): Promise<boolean> {
  const info = await store.getSession(context.userId, context.sessionId, { limit: 0 });
  if (!info || watch.staleMetadata.size === 0) return false;
  const patch: JsonObject = {};
  for (const field of watch.staleMetadata) {
    // A value that could not be opened (policy "skip") is absent here and left as stored.
    if (Object.hasOwn(info.metadata, field)) Object.defineProperty(patch, field, { value: info.metadata[field], enumerable: true, writable: true, configurable: true });
  }
  if (Object.keys(patch).length === 0) return false;
  try {
    await store.updateSession(context.userId, context.sessionId, { metadata: patch });
  } catch (error) {
    if (isSessionStoreError(error, 'NOT_FOUND')) return false;
    throw error;
  }
  return true;
}
