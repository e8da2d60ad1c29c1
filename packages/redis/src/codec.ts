import { expiryFrom, type JsonObject, type SessionInfo, type StoredMessage } from '@sessions/core';

/**
 * Turning what the scripts return into the contract's types, and metadata into script
 * arguments. Kept apart from the store so the hot paths (message decoding) are easy to see.
 */

/**
 * Metadata as script arguments: (JSON text of the key, JSON text of the value) pairs, the
 * layout of metadata fields in the record hash. A `null` value becomes `''`, which the update
 * and fork scripts read as "remove".
 */
export function metadataArgs(metadata: JsonObject | undefined): string[] {
  const args: string[] = [];
  if (!metadata) return args;
  for (const [key, value] of Object.entries(metadata)) {
    args.push(JSON.stringify(key), value === null ? '' : JSON.stringify(value));
  }
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

/**
 * Stored messages from their sorted-set members, each `<seq>:<createdAt>:<message JSON>` (the
 * seq makes every member unique). Only the JSON goes through `JSON.parse`, so decoding costs
 * about what parsing the bare messages would.
 */
export function decodeMessages<M>(members: string[]): StoredMessage<M>[] {
  return members.map((member) => decodeMessage<M>(member));
}

/** One stored message from its member text. */
export function decodeMessage<M>(member: string): StoredMessage<M> {
  const afterSeq = member.indexOf(':');
  const afterTime = member.indexOf(':', afterSeq + 1);
  return {
    seq: Number(member.slice(0, afterSeq)),
    createdAt: new Date(Number(member.slice(afterSeq + 1, afterTime))),
    message: JSON.parse(member.slice(afterTime + 1)) as M,
  };
}

/** A TTL as a script argument: `''` for none. */
export function ttlArg(ttlMs: number | null): string {
  return ttlMs === null ? '' : String(ttlMs);
}

/** A `limit` as a script argument: `''` for all. */
export function limitArg(limit: number | undefined): string {
  return limit === undefined ? '' : String(limit);
}

/** A seq bound as a script argument: `''` for none. */
export function seqArg(seq: number | undefined): string {
  return seq === undefined ? '' : String(seq);
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
