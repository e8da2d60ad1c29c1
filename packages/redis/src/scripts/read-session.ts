import { LUA_STATE, type RedisScript } from './script.js';

/**
 * Reads a live session's record and its newest `limit` messages; `nil` when it is missing or
 * expired. KEYS: record, messages. ARGV: now, limit ('' = all).
 * Returns `{ record fields (HGETALL), messages }`.
 */
export const readSessionScript: RedisScript = {
  name: 'sessionsReadSession',
  numberOfKeys: 2,
  lua: `${LUA_STATE}
local S, M = KEYS[1], KEYS[2]
local st = state(S, tonumber(ARGV[1]))
if not st or not st.live then return nil end
local messages = {}
if ARGV[2] == '' then messages = redis.call('ZRANGE', M, 0, -1)
elseif ARGV[2] ~= '0' then messages = redis.call('ZRANGE', M, -tonumber(ARGV[2]), -1) end
return { redis.call('HGETALL', S), messages }
`,
};
