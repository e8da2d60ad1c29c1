import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { JsonObject, SessionInfo, StoredEntry } from '@sessions/core';
import { listPk, listSk, messageSk, seqOfMessageSk, sessionSk, userPk } from './keys.js';

/** A raw DynamoDB item. */
export type Item = Record<string, AttributeValue>;

/** The native TTL attribute (epoch seconds), set on session items only. */
export const TTL_ATTRIBUTE = 'ttl';
/** The listing index (sessions of a user by `updatedAt`). */
export const LIST_INDEX = 'GSI1';

/** A session item, decoded. */
export interface SessionRecord {
  userId: string;
  sessionId: string;
  /** The incarnation tag (see keys.ts). */
  gen: string;
  metadata: JsonObject;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  /** The session's own TTL, slid by every write; `null` = never expires. */
  ttlMs: number | null;
  lastSeq: number;
  messageCount: number;
  /** Messages with a seq up to this were cleared: hidden at once, deleted in batches after. */
  clearedUpTo: number;
}

/** A string attribute. */
export const s = (value: string): AttributeValue => ({ S: value });
/** A number attribute. */
export const n = (value: number): AttributeValue => ({ N: String(value) });

/** The primary key of a session item. */
export function sessionKey(userId: string, sessionId: string): Item {
  return { PK: s(userPk(userId)), SK: s(sessionSk(sessionId)) };
}

/** The primary key of a message item. */
export function messageKey(userId: string, sessionId: string, gen: string, seq: number): Item {
  return { PK: s(userPk(userId)), SK: s(messageSk(sessionId, gen, seq)) };
}

/** The native TTL value for an expiry in ms: whole seconds, rounded up so the item never goes before it expires. */
export function ttlSeconds(expiresAt: number): number {
  return Math.ceil(expiresAt / 1000);
}

/** The full session item for a record (create, restore, fork). */
export function sessionItem(record: SessionRecord): Item {
  const item: Item = {
    ...sessionKey(record.userId, record.sessionId),
    type: s('session'),
    userId: s(record.userId),
    sessionId: s(record.sessionId),
    gen: s(record.gen),
    metadata: s(JSON.stringify(record.metadata)),
    createdAt: n(record.createdAt),
    updatedAt: n(record.updatedAt),
    lastSeq: n(record.lastSeq),
    messageCount: n(record.messageCount),
    clearedUpTo: n(record.clearedUpTo),
    GSI1PK: s(listPk(record.userId)),
    GSI1SK: s(listSk(record.updatedAt, record.sessionId)),
  };
  if (record.ttlMs !== null) item['ttlMs'] = n(record.ttlMs);
  if (record.expiresAt !== null) {
    item['expiresAt'] = n(record.expiresAt);
    item[TTL_ATTRIBUTE] = n(ttlSeconds(record.expiresAt));
  }
  return item;
}

function num(item: Item, name: string): number {
  const value = item[name]?.N;
  return value === undefined ? 0 : Number(value);
}

function optionalNum(item: Item, name: string): number | null {
  const value = item[name]?.N;
  return value === undefined ? null : Number(value);
}

/** Decodes a session item. */
export function toSessionRecord(item: Item): SessionRecord {
  return {
    userId: item['userId']?.S ?? '',
    sessionId: item['sessionId']?.S ?? '',
    gen: item['gen']?.S ?? '',
    metadata: JSON.parse(item['metadata']?.S ?? '{}') as JsonObject,
    createdAt: num(item, 'createdAt'),
    updatedAt: num(item, 'updatedAt'),
    expiresAt: optionalNum(item, 'expiresAt'),
    ttlMs: optionalNum(item, 'ttlMs'),
    lastSeq: num(item, 'lastSeq'),
    messageCount: num(item, 'messageCount'),
    clearedUpTo: num(item, 'clearedUpTo'),
  };
}

/** `true` when the record is alive at `now` (an expired session behaves as a deleted one). */
export function isLive(record: SessionRecord, now: number): boolean {
  return record.expiresAt === null || record.expiresAt > now;
}

/** The public view of a record. */
export function toSessionInfo(record: SessionRecord): SessionInfo {
  return {
    userId: record.userId,
    id: record.sessionId,
    metadata: record.metadata,
    createdAt: new Date(record.createdAt),
    updatedAt: new Date(record.updatedAt),
    expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt),
    messageCount: record.messageCount,
    lastSeq: record.lastSeq,
  };
}

/**
 * A message item. The message is stored as its text (what the store's codecs produced, JSON
 * text without codecs) in a string attribute rather than a DynamoDB map: maps would turn numbers
 * into decimals and reject empty sets; the text round-trips exactly.
 */
export function messageItem(userId: string, sessionId: string, gen: string, seq: number, createdAt: number, text: string): Item {
  return { ...messageKey(userId, sessionId, gen, seq), type: s('message'), seq: n(seq), createdAt: n(createdAt), body: s(text) };
}

/** Decodes a message item: its stored text as written, never parsed here. */
export function toStoredEntry(item: Item): StoredEntry {
  const seq = item['seq']?.N !== undefined ? Number(item['seq'].N) : seqOfMessageSk(item['SK']?.S ?? '');
  return { seq, createdAt: num(item, 'createdAt'), text: item['body']?.S ?? '{}' };
}

/**
 * Bytes DynamoDB counts for a message item besides the body (attribute names, keys, numbers),
 * rounded up generously: used to reject a message that cannot fit in one item before writing.
 */
export function messageItemOverhead(userId: string, sessionId: string): number {
  return Buffer.byteLength(userPk(userId), 'utf8') + Buffer.byteLength(sessionSk(sessionId), 'utf8') + 128;
}
