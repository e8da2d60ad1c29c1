import { forkMetadata, type ForkSessionOptions, type JsonObject, type SessionInfo, type StoredMessage } from '@sessions/core';
import type { EncryptedSessionStore } from './encrypted-store.js';
import { rawPages } from './raw-pages.js';

/**
 * `forkSession` over encrypted data. The inner store's own fork cannot be used: every
 * ciphertext is bound to its session (derived key and associated data), so the copied
 * messages must be opened and sealed again for the new session. The fork is rebuilt with
 * `restoreSession` + `restoreMessages`, which keep seqs and `createdAt`.
 *
 * Not atomic like a native fork: if a write fails half-way the partial fork is deleted
 * (best effort) and the error is rethrown.
 */
export async function forkEncrypted<M extends JsonObject>(
  store: EncryptedSessionStore<M>,
  userId: string,
  sessionId: string,
  options: ForkSessionOptions,
): Promise<SessionInfo> {
  const { inner, codec, guard } = store;
  const targetId = guard.newSessionId(options.newSessionId);
  const requestedUpto = guard.seq(options.uptoSeq, 'uptoSeq');
  const patch = options.metadata === undefined ? undefined : guard.metadataPatch(options.metadata);
  const source = await inner.getSession(userId, sessionId, { limit: 0 });
  if (!source) throw store.errors.notFound(userId, sessionId);
  const uptoSeq = Math.min(requestedUpto ?? source.lastSeq, source.lastSeq);
  const metadata = forkMetadata(codec.openMetadata(userId, sessionId, source.metadata), sessionId, uptoSeq, patch);
  guard.metadataSize(metadata);

  // Every write slides expiresAt = updatedAt + ttlMs, so their difference is the source's TTL.
  const ttlMs = source.expiresAt === null ? null : source.expiresAt.getTime() - source.updatedAt.getTime();
  const now = store.clock();
  await inner.restoreSession(userId, {
    id: targetId,
    metadata: codec.sealMetadata(userId, targetId, metadata),
    createdAt: new Date(now),
    updatedAt: new Date(now),
    expiresAt: ttlMs === null ? null : new Date(now + Math.max(1, ttlMs)),
    lastSeq: uptoSeq,
  });
  try {
    for await (const page of rawPages(inner, userId, sessionId, uptoSeq)) {
      const resealed: StoredMessage[] = [];
      for (const stored of store.messageTtl.filter(page)) {
        const opened = codec.openMessage<JsonObject>(userId, sessionId, stored);
        if (!opened) continue;
        resealed.push({ seq: opened.seq, createdAt: opened.createdAt, message: codec.sealMessage(userId, targetId, JSON.stringify(opened.message)) });
      }
      if (resealed.length > 0) await inner.restoreMessages(userId, targetId, resealed);
    }
  } catch (error) {
    await inner.deleteSession(userId, targetId).catch(() => undefined);
    throw error;
  }
  const fork = await inner.getSession(userId, targetId, { limit: 0 });
  if (!fork) throw store.errors.notFound(userId, targetId);
  return codec.openInfo({
    userId: fork.userId,
    id: fork.id,
    metadata: fork.metadata,
    createdAt: fork.createdAt,
    updatedAt: fork.updatedAt,
    expiresAt: fork.expiresAt,
    messageCount: fork.messageCount,
    lastSeq: fork.lastSeq,
  });
}
