import type { ReadRequest, StoredEntry } from '@sessions/core';
import type { RedisContext } from './context.js';
import { decodeEntries } from './records.js';

/** One ZRANGE: its arguments after the key, and whether its reply is newest first. */
interface RangeCommand {
  args: (string | number)[];
  reversed: boolean;
}

/**
 * The ZRANGE that selects a range: by rank without seq bounds (`-limit -1`), by score with
 * them; both O(log n + limit).
 */
function rangeCommand({ afterSeq, beforeSeq, limit, from }: ReadRequest): RangeCommand {
  if (afterSeq === undefined && beforeSeq === undefined) {
    if (limit === undefined) return { args: [0, -1], reversed: false };
    return { args: from === 'end' ? [-limit, -1] : [0, limit - 1], reversed: false };
  }
  const low = afterSeq === undefined ? '-inf' : `(${afterSeq}`;
  const high = beforeSeq === undefined ? '+inf' : `(${beforeSeq}`;
  if (limit === undefined) return { args: [low, high, 'BYSCORE'], reversed: false };
  if (from === 'start') return { args: [low, high, 'BYSCORE', 'LIMIT', 0, limit], reversed: false };
  return { args: [high, low, 'BYSCORE', 'REV', 'LIMIT', 0, limit], reversed: true };
}

/** `true` when an `HMGET <record> lastSeq expiresAt` reply is of a session that exists and has not expired at `now`. */
function liveAt(fields: (string | null)[], now: number): boolean {
  const [lastSeq, expiresAt] = fields;
  return lastSeq !== null && lastSeq !== undefined && (expiresAt === null || expiresAt === undefined || Number(expiresAt) > now);
}

/**
 * `read`: the session's liveness fields (`HMGET lastSeq expiresAt`) and a range of its messages,
 * two plain commands sent back to back on one connection: one round trip. Messages do not go
 * through Lua: copying a reply of many kilobytes into a script and back costs the server several
 * times the command itself. Not atomic, and it need not be: the range is taken after the record
 * was seen live, so the answer is the session's messages at the moment of the ZRANGE (empty if
 * it was deleted in between). Both keys share one slot, so a cluster sends both to one node.
 */
export async function read(ctx: RedisContext, request: ReadRequest): Promise<StoredEntry[]> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  const range = rangeCommand(request);
  const [fields, members] = await Promise.all([
    ctx.scripts.send(ctx.client.hmget(k.record, 'lastSeq', 'expiresAt')),
    ctx.scripts.send(ctx.client.call('zrange', k.messages, ...range.args) as Promise<string[]>),
  ]);
  if (!liveAt(fields, request.now)) return [];
  if (range.reversed) members.reverse();
  return decodeEntries(members);
}
