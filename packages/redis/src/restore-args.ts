import type { CheckedSnapshot, PreparedRestoreBatch } from '@sessions/core';
import { metadataArgs, ttlArg } from './codec.js';

/**
 * Arguments of the restore-session script for a checked snapshot. The session's TTL for later
 * writes is `expiresAt - updatedAt`: every write sets `expiresAt = updatedAt + ttlMs`, so that
 * difference is the source's TTL.
 */
export function restoreSessionArgs(snapshot: CheckedSnapshot, encodedId: string, now: number): string[] {
  const ttlMs = snapshot.expiresAt === null ? null : Math.max(1, snapshot.expiresAt - snapshot.updatedAt);
  return [
    String(now),
    encodedId,
    String(-snapshot.updatedAt),
    String(snapshot.createdAt),
    String(snapshot.updatedAt),
    snapshot.expiresAt === null ? '' : String(snapshot.expiresAt),
    ttlArg(ttlMs),
    String(snapshot.lastSeq),
    ...metadataArgs(snapshot.metadata),
  ];
}

/** Arguments of the restore-messages script: now, then (seq, createdAt, JSON) triples. */
export function restoreMessagesArgs<M>(batch: PreparedRestoreBatch<M>, now: number): string[] {
  const args = [String(now)];
  batch.seqs.forEach((seq, i) => args.push(String(seq), String(batch.createdAt[i]), batch.encoded[i] ?? ''));
  return args;
}
