import type { JsonObject, SessionInfo, StoredEntry } from '@sessions/core';
import type { MessageRow, SessionRow } from './fragments.js';

/** A session record as the driver returns it. */
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

/** A stored entry from a message row. */
export function toEntry(row: MessageRow): StoredEntry {
  return { seq: row.seq, createdAt: row.created_at, text: row.message };
}
