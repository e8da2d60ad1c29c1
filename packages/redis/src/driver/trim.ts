import type { TrimRequest } from '@sessions/core';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { LUA_INT, LUA_STATE, LUA_TOUCH } from './lua.js';
import type { RedisScript } from './script.js';

/** The trim script's arguments, by name. */
interface TrimArgs {
  now: number;
  encodedId: string;
  /** Every message with a seq below it is removed. */
  beforeSeq: number;
}

function argv(a: TrimArgs): string[] {
  return [String(a.now), a.encodedId, String(-a.now), String(a.beforeSeq)];
}

/**
 * Removes the messages with seq < beforeSeq of a live session and records the write (even when
 * nothing was removed). `lastSeq` and the idempotency keys stay. Returns how many were removed,
 * 0 for a missing or expired session.
 */
export const trimScript: RedisScript = {
  name: 'sessionsTrim',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_TOUCH}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score, beforeSeq = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
local st = state(S, now)
if not st or not st.live then return 0 end
local removed = redis.call('ZREMRANGEBYSCORE', M, '-inf', '(' .. beforeSeq)
touch(S, M, K, I, st.ttl, now, enc, score, { 'count', int(st.count - removed) })
return removed
`,
};

/** `trim`: one EVALSHA. */
export async function trim(ctx: RedisContext, request: TrimRequest): Promise<number> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  const reply = await ctx.scripts.run<number>(trimScript, sessionKeyList(k), argv({ now: request.now, encodedId: k.encodedId, beforeSeq: request.beforeSeq }));
  return typeof reply === 'number' ? reply : 0;
}
