import type { RedisClient } from './options.js';

/** One command of a read: name and arguments, as ioredis `pipeline()` takes them. */
export type ReadCommand = [name: string, key: string, ...args: (string | number)[]];

/**
 * Reads a session's liveness fields (`HMGET lastSeq expiresAt`) and a range of its messages
 * with two plain commands sent back to back on one connection: one round trip. Messages do
 * not go through Lua: copying a reply of many kilobytes into a script and back costs the
 * server several times the command itself, and an ioredis pipeline object costs the client
 * more than the two commands. Not atomic, and it need not be: the range is taken after the
 * record was seen live, so the answer is the session's messages at the moment of the ZRANGE
 * (empty if it was deleted in between). Both keys share one slot, so a cluster sends both to
 * the same node.
 */
export async function readMessages(client: RedisClient, record: string, range: ReadCommand): Promise<[(string | null)[], string[]]> {
  const [name, key, ...args] = range;
  const [fields, members] = await Promise.all([
    client.hmget(record, 'lastSeq', 'expiresAt'),
    client.call(name, key, ...args) as Promise<string[]>,
  ]);
  return [fields, members];
}

/** `true` when an `HMGET <record> lastSeq expiresAt` reply is of a session that exists and has not expired at `now`. */
export function liveAt(fields: (string | null)[], now: number): boolean {
  const [lastSeq, expiresAt] = fields;
  return lastSeq !== null && lastSeq !== undefined && (expiresAt === null || expiresAt === undefined || Number(expiresAt) > now);
}

/**
 * The ZRANGE that selects a `getMessages` range: by rank without seq bounds (`-limit -1`), by
 * score with them; both O(log n + limit). `reversed` means the reply is newest first.
 */
export function messageRange(
  key: string,
  range: { afterSeq: number | undefined; beforeSeq: number | undefined; limit: number | undefined; from: 'start' | 'end' },
): { command: ReadCommand; reversed: boolean } {
  const { afterSeq, beforeSeq, limit, from } = range;
  if (afterSeq === undefined && beforeSeq === undefined) {
    if (limit === undefined) return { command: ['zrange', key, 0, -1], reversed: false };
    return { command: from === 'end' ? ['zrange', key, -limit, -1] : ['zrange', key, 0, limit - 1], reversed: false };
  }
  const low = afterSeq === undefined ? '-inf' : `(${afterSeq}`;
  const high = beforeSeq === undefined ? '+inf' : `(${beforeSeq}`;
  if (limit === undefined) return { command: ['zrange', key, low, high, 'BYSCORE'], reversed: false };
  if (from === 'start') return { command: ['zrange', key, low, high, 'BYSCORE', 'LIMIT', 0, limit], reversed: false };
  return { command: ['zrange', key, high, low, 'BYSCORE', 'REV', 'LIMIT', 0, limit], reversed: true };
}
