import { LUA_STATE, LUA_WIPE, type RedisScript } from './script.js';

/**
 * Deletes every key of a session and its index member. ARGV: now, enc.
 * Returns 1 when a live session was deleted, 0 when there was none (or it had expired).
 */
export const deleteSessionScript: RedisScript = {
  name: 'sessionsDelete',
  numberOfKeys: 4,
  lua: `${LUA_STATE}${LUA_WIPE}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local st = state(S, tonumber(ARGV[1]))
wipe(S, M, K, I, ARGV[2])
if st and st.live then return 1 end
return 0
`,
};
