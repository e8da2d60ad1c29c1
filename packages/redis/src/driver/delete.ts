import type { At, SessionRef } from '@sessions/core';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { LUA_NOTIFY, LUA_STATE, LUA_WIPE } from './lua.js';
import type { RedisScript } from './script.js';

/** The delete script's arguments, by name. */
interface DeleteArgs {
  now: number;
  encodedId: string;
}

function argv(a: DeleteArgs): string[] {
  return [String(a.now), a.encodedId];
}

/**
 * Deletes every key of a session and its index member. Returns 1 when a live session was
 * deleted, 0 when there was none (or it had expired).
 */
export const deleteScript: RedisScript = {
  name: 'sessionsDelete',
  numberOfKeys: 4,
  lua: `${LUA_NOTIFY}${LUA_STATE}${LUA_WIPE}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc = tonumber(ARGV[1]), ARGV[2]
local st = state(S, now)
wipe(S, M, K, I, enc)
if st then notify(S) end
if st and st.live then return 1 end
return 0
`,
};

/** `delete`: one EVALSHA. */
export async function deleteSession(ctx: RedisContext, request: SessionRef & At): Promise<boolean> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  return (await ctx.scripts.run<number>(deleteScript, sessionKeyList(k), argv({ now: request.now, encodedId: k.encodedId }))) === 1;
}
