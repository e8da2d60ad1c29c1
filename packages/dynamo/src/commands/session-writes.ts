import type { TransactAction } from '../table-client.js';
import { listSk } from '../keys.js';
import { n, s, sessionItem, sessionKey, ttlSeconds, TTL_ATTRIBUTE, type Item, type SessionRecord } from '../marshal.js';
import { ABSENT_OR_EXPIRED, names } from '../expressions.js';

/**
 * The parts of an update that every write to a live session makes: bump `updatedAt` (and the
 * listing index key with it) and slide the expiry by the session's own TTL.
 */
export function touchClauses(record: Pick<SessionRecord, 'sessionId' | 'ttlMs'>, now: number): { set: string[]; remove: string[]; values: Item; names: Record<string, string> } {
  const set = ['#updatedAt = :now', '#GSI1SK = :gsk'];
  const remove: string[] = [];
  const values: Item = { ':now': n(now), ':gsk': s(listSk(now, record.sessionId)) };
  if (record.ttlMs !== null) {
    const expiresAt = now + record.ttlMs;
    set.push('#expiresAt = :exp', '#ttl = :ttl');
    values[':exp'] = n(expiresAt);
    values[':ttl'] = n(ttlSeconds(expiresAt));
  } else {
    remove.push('#expiresAt', '#ttl');
  }
  return { set, remove, values, names: { ...names('updatedAt', 'GSI1SK', 'expiresAt'), '#ttl': TTL_ATTRIBUTE } };
}

/** Joins SET and REMOVE clauses into one update expression. */
export function updateExpression(set: string[], remove: string[]): string {
  return `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`;
}

/**
 * A transaction action that writes a brand-new session item: only if no item is there or the
 * one there has expired (an expired session behaves as a deleted one).
 */
export function createRecordAction(record: SessionRecord, now: number): TransactAction {
  return {
    Put: {
      Item: sessionItem(record),
      ConditionExpression: ABSENT_OR_EXPIRED,
      ExpressionAttributeNames: names('PK', 'expiresAt'),
      ExpressionAttributeValues: { ':now': n(now) },
    },
  };
}

/** The key of the session item, for actions. */
export function recordKey(record: Pick<SessionRecord, 'userId' | 'sessionId'>): Item {
  return sessionKey(record.userId, record.sessionId);
}

/** A new record for a session created now with the given TTL (`null` = never expires). */
export function freshRecord(userId: string, sessionId: string, gen: string, now: number, ttlMs: number | null, metadata: SessionRecord['metadata'] = {}): SessionRecord {
  return {
    userId,
    sessionId,
    gen,
    metadata,
    createdAt: now,
    updatedAt: now,
    expiresAt: ttlMs === null ? null : now + ttlMs,
    ttlMs,
    lastSeq: 0,
    messageCount: 0,
    clearedUpTo: 0,
  };
}
