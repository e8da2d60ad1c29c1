import { expiryFrom, type JsonObject, type SessionInfo, type StoredEntry } from '@sessions/core';

/**
 * What the scripts store and return, in the contract's types. A message is one sorted-set
 * member `<seq>:<createdAt>:<text>` scored by its seq (the seq makes every member unique); a
 * session is a record hash of bookkeeping fields plus one field per metadata key.
 */

/**
 * Metadata as script arguments: (JSON text of the key, JSON text of the value) pairs, the
 * layout of metadata fields in the record hash. A `null` value becomes `''`, which the update
 * and fork scripts read as "remove".
 */
export function metadataArgs(metadata: JsonObject | undefined): string[] {
  const args: string[] = [];
  if (!metadata) return args;
  for (const [key, value] of Object.entries(metadata)) args.push(JSON.stringify(key), value === null ? '' : JSON.stringify(value));
  return args;
}

/**
 * A session record from its hash fields (a flat `HGETALL` reply). Fields whose name starts with
 * `"` are metadata (JSON key → JSON value); the others are the bookkeeping fields.
 */
export function decodeRecord(userId: string, sessionId: string, fields: string[]): SessionInfo {
  const metadataParts: string[] = [];
  let createdAt = 0;
  let updatedAt = 0;
  let expiresAt: number | null = null;
  let messageCount = 0;
  let lastSeq = 0;
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] ?? '';
    const value = fields[i + 1] ?? '';
    if (name.charCodeAt(0) === 34) {
      metadataParts.push(`${name}:${value}`);
      continue;
    }
    switch (name) {
      case 'createdAt':
        createdAt = Number(value);
        break;
      case 'updatedAt':
        updatedAt = Number(value);
        break;
      case 'expiresAt':
        expiresAt = Number(value);
        break;
      case 'count':
        messageCount = Number(value);
        break;
      case 'lastSeq':
        lastSeq = Number(value);
        break;
    }
  }
  return {
    userId,
    id: sessionId,
    metadata: JSON.parse(`{${metadataParts.join(',')}}`) as JsonObject,
    createdAt: new Date(createdAt),
    updatedAt: new Date(updatedAt),
    expiresAt: expiresAt === null ? null : new Date(expiresAt),
    messageCount,
    lastSeq,
  };
}

/** Stored entries from their sorted-set members, in the order given. */
export function decodeEntries(members: string[]): StoredEntry[] {
  const entries = new Array<StoredEntry>(members.length);
  for (let i = 0; i < members.length; i++) entries[i] = decodeEntry(members[i]!);
  return entries;
}

/** One stored entry from its member: the text is everything after the second colon, verbatim. */
export function decodeEntry(member: string): StoredEntry {
  const afterSeq = member.indexOf(':');
  const afterTime = member.indexOf(':', afterSeq + 1);
  return { seq: Number(member.slice(0, afterSeq)), createdAt: Number(member.slice(afterSeq + 1, afterTime)), text: member.slice(afterTime + 1) };
}

/** A TTL as a script argument: `''` for none. */
export function ttlArg(ttlMs: number | null): string {
  return ttlMs === null ? '' : String(ttlMs);
}

/** An optional number as a script argument: `''` for none. */
export function optionalArg(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** The record of a session just created at `now` (what the create script wrote). */
export function newSessionInfo(userId: string, id: string, metadata: JsonObject, ttlMs: number | null, now: number): SessionInfo {
  const expiresAt = expiryFrom(now, ttlMs);
  return {
    userId,
    id,
    metadata,
    createdAt: new Date(now),
    updatedAt: new Date(now),
    expiresAt: expiresAt === null ? null : new Date(expiresAt),
    messageCount: 0,
    lastSeq: 0,
  };
}
