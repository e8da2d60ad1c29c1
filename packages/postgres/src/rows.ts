import type { JsonObject, SessionInfo, StoredMessage } from '@sessions/core';
import type { SessionRow } from './queries/fragments.js';

/** A session record as the store returns it. */
export function toSessionInfo(row: SessionRow): SessionInfo {
  return {
    userId: row.user_id,
    id: row.id,
    metadata: JSON.parse(row.metadata) as JsonObject,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    messageCount: row.message_count,
    lastSeq: row.last_seq,
  };
}

/** A stored message from its seq, creation time (ms) and JSON text. */
export function toStoredMessage<M>(seq: number, createdAt: number, text: string): StoredMessage<M> {
  return { seq, createdAt: new Date(createdAt), message: JSON.parse(text) as M };
}
