import type { At, SessionRef } from '@sessions/core';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { LUA_INT, LUA_STATE, LUA_TOUCH } from './lua.js';
import type { RedisScript } from './script.js';

/** The clear script's arguments, by name. */
interface ClearArgs {
  now: number;
  encodedId: string;
}

function argv(a: ClearArgs): string[] {
  return [String(a.now), a.encodedId, String(-a.now)];
}

/**
 * Removes every message of a live session and records the write; metadata, `lastSeq` and the
 * idempotency keys stay. A no-op for a missing or expired session. Returns 1 when it was live.
 */
export const clearScript: RedisScript = {
  name: 'sessionsClear',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_TOUCH}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local st = state(S, now)
if not st or not st.live then return 0 end
redis.call('DEL', M)
touch(S, M, K, I, st.ttl, now, enc, score, { 'count', '0' })
return 1
`,
};

/** `clear`: one EVALSHA. */
export async function clear(ctx: RedisContext, request: SessionRef & At): Promise<void> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  await ctx.scripts.run(clearScript, sessionKeyList(k), argv({ now: request.now, encodedId: k.encodedId }));
}
