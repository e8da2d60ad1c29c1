import { isSessionStoreError } from '@sessions/core';
import type { EncryptionCodec } from './encryption-codec.js';
import {
  batchSizeOf,
  requireCodecInUse,
  sessionIds,
  type MaintainedStore,
  type MaintenanceOptions,
  type MaintenanceReport,
} from './maintained-store.js';

/** Options of {@link purgeExpiredMessages}. */
export interface PurgeMessagesOptions extends MaintenanceOptions {
  /** Purge only this user's sessions. @default every user */
  userId?: string;
}

/**
 * Removes the messages older than the codec's `messageTtlMs` (reads already hide them) from
 * every session, or from one user's, with `trimSession`: only the oldest messages go, seqs and
 * `lastSeq` stay, and a message appended meanwhile is never touched (it is newer than anything
 * trimmed). Nothing is decrypted to decide: expiry is read from each message's `createdAt`.
 * Run it periodically, like `purgeExpired`. Without `messageTtlMs` it does nothing.
 */
export async function purgeExpiredMessages(store: MaintainedStore, codec: EncryptionCodec, options: PurgeMessagesOptions = {}): Promise<MaintenanceReport> {
  const report: MaintenanceReport = { sessions: 0, messages: 0 };
  const batchSize = batchSizeOf(store, codec, options);
  if (codec.messageTtl.ttlMs === undefined) return report;
  const users = options.userId === undefined ? store.listUsers() : [options.userId];
  for await (const user of users) {
    for (const sessionId of await sessionIds(store, user)) {
      const removed = await purgeSession(store, codec, user, sessionId, batchSize);
      if (removed > 0) report.sessions++;
      report.messages += removed;
    }
  }
  return report;
}

async function purgeSession(store: MaintainedStore, codec: EncryptionCodec, userId: string, sessionId: string, pageSize: number): Promise<number> {
  const info = await store.getSession(userId, sessionId, { limit: 0 });
  if (!info || info.messageCount === 0) return 0;
  const context = { userId: info.userId, sessionId: info.id };
  return codec.watches.with(context, async (watch) => {
    let read = 0;
    try {
      // The first live message ends the expired prefix: stop there. Pages of expired messages
      // are skipped by the codec without decryption.
      for await (const _message of store.readHistory(context.userId, context.sessionId, { pageSize })) {
        read++;
        break;
      }
    } catch (error) {
      // A live message that cannot be decrypted also ends the prefix; the watch has seen it.
      if (!isSessionStoreError(error, 'DECRYPT_FAILED')) throw error;
    }
    requireCodecInUse(codec, watch.decodes, read);
    const firstLive = watch.entries.findIndex((entry) => !entry.expired);
    const expired = firstLive === -1 ? watch.entries : watch.entries.slice(0, firstLive);
    const last = expired[expired.length - 1];
    if (!last) return 0;
    return store.trimSession(context.userId, context.sessionId, { beforeSeq: last.seq + 1 });
  });
}
