import type { TransactAction } from './table-client.js';
import { listSk } from '../keys.js';
import { n, s, sessionItem, sessionKey, ttlSeconds, TTL_ATTRIBUTE, type Item, type SessionRecord } from '../marshal.js';
import { ABSENT_OR_EXPIRED, LIVE_GENERATION, names } from './expressions.js';

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

/**
 * The update of a live session item by a write that changes which messages it holds (trim,
 * replaceTail, rewrite): `set` plus the touch (updatedAt, expiry slid by the session's own TTL),
 * on the condition that the item is still exactly what was read: same generation, `lastSeq`,
 * `clearedUpTo`, `messageCount` and TTL. Every change to the set of held messages changes one of
 * these, so a write decided on a read never lands on a session that changed meanwhile (it fails
 * its condition and the operation reads again).
 */
export function unchangedSessionUpdate(record: SessionRecord, now: number, set: string[], values: Item): SessionUpdate {
  const touch = touchClauses(record, now);
  return {
      Key: recordKey(record),
      UpdateExpression: updateExpression([...set, ...touch.set], touch.remove),
      ConditionExpression: `${LIVE_GENERATION} AND #lastSeq = :readLast AND #clearedUpTo = :readCleared AND #messageCount = :readCount AND ${sameTtl(record)}`,
      ExpressionAttributeNames: { ...touch.names, ...names('PK', 'gen', 'lastSeq', 'clearedUpTo', 'messageCount', 'ttlMs') },
      ExpressionAttributeValues: {
        ...touch.values,
        ...values,
        ':gen': s(record.gen),
        ':readLast': n(record.lastSeq),
        ':readCleared': n(record.clearedUpTo),
        ':readCount': n(record.messageCount),
        ...(record.ttlMs === null ? {} : { ':readTtlMs': n(record.ttlMs) }),
      },
  };
}

/** The update of a session item, as a transaction action holds it (and `UpdateItem` takes it). */
export type SessionUpdate = NonNullable<TransactAction['Update']>;

/** Condition: the session's TTL is still the one read (the expiry slid by a write must be the session's own). */
export function sameTtl(record: Pick<SessionRecord, 'ttlMs'>): string {
  return record.ttlMs === null ? 'attribute_not_exists(#ttlMs)' : '#ttlMs = :readTtlMs';
}
