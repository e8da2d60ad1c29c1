import type { At, SessionRef, StoredEntry } from '@sessions/core';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { LUA_INT, LUA_STATE, LUA_TOUCH } from './lua.js';
import { decodeEntry } from './records.js';
import type { RedisScript } from './script.js';

/** The pop script's arguments, by name. */
interface PopArgs {
  now: number;
  encodedId: string;
}

function argv(a: PopArgs): string[] {
  return [String(a.now), a.encodedId, String(-a.now)];
}

/**
 * Removes and returns the newest message (`ZPOPMAX`), recording the write; `nil` when the
 * session is missing, expired or empty. Atomic, so two pops never return the same message.
 */
export const popScript: RedisScript = {
  name: 'sessionsPop',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_TOUCH}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local st = state(S, now)
if not st or not st.live then return nil end
local popped = redis.call('ZPOPMAX', M)
if #popped == 0 then return nil end
touch(S, M, K, I, st.ttl, now, enc, score, { 'count', int(st.count - 1) })
return popped[1]
`,
};

/** `pop`: one EVALSHA. */
export async function pop(ctx: RedisContext, request: SessionRef & At): Promise<StoredEntry | null> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  const member = await ctx.scripts.run<string | null>(popScript, sessionKeyList(k), argv({ now: request.now, encodedId: k.encodedId }));
  return typeof member === 'string' ? decodeEntry(member) : null;
}
