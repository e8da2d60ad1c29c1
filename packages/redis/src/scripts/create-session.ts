import { LUA_INT, LUA_STATE, LUA_WIPE, LUA_TOUCH, type RedisScript } from './script.js';

/**
 * Creates a session, or (with mode 'getOrCreate') returns the live one. An expired record with
 * that id is wiped first, so the new session starts from seq 1.
 *
 * ARGV: now, enc, score, mode ('create' / 'getOrCreate'), ttl ('' = none), limit ('' = all),
 * then metadata as (JSON key, JSON value) pairs.
 * Returns `{ 1 }` when created, `{ 0, record fields, messages }` for an existing session, or
 * `SESSIONS_EXISTS` in mode 'create'.
 */
export const createSessionScript: RedisScript = {
  name: 'sessionsCreate',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_WIPE}${LUA_TOUCH}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local st = state(S, now)
if st and st.live then
  if ARGV[4] == 'create' then return redis.error_reply('SESSIONS_EXISTS') end
  local messages = {}
  if ARGV[6] == '' then messages = redis.call('ZRANGE', M, 0, -1)
  elseif ARGV[6] ~= '0' then messages = redis.call('ZRANGE', M, -tonumber(ARGV[6]), -1) end
  return { 0, redis.call('HGETALL', S), messages }
end
wipe(S, M, K, I, enc)
local ttl = ARGV[5] ~= '' and tonumber(ARGV[5]) or nil
local fields = { 'createdAt', ARGV[1], 'lastSeq', '0', 'count', '0' }
if ttl then
  fields[#fields + 1] = 'ttlMs'
  fields[#fields + 1] = int(ttl)
end
for i = 7, #ARGV do fields[#fields + 1] = ARGV[i] end
touch(S, M, K, I, ttl, now, enc, score, fields)
return { 1 }
`,
};
