import { LUA_STATE, LUA_WIPE, type RedisScript } from './script.js';

/**
 * Creates a session exactly as a snapshot describes it (timestamps, lastSeq, metadata), with
 * no messages; an expired record with that id is wiped first.
 *
 * ARGV: now, enc, score (-updatedAt of the snapshot), createdAt, updatedAt, expiresAt
 * ('' = never), ttl ('' = none), lastSeq, then metadata as (JSON key, JSON value) pairs.
 * Returns 1; `SESSIONS_EXISTS`.
 */
export const restoreSessionScript: RedisScript = {
  name: 'sessionsRestoreSession',
  numberOfKeys: 4,
  lua: `${LUA_STATE}${LUA_WIPE}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local st = state(S, now)
if st and st.live then return redis.error_reply('SESSIONS_EXISTS') end
wipe(S, M, K, I, enc)
local fields = { 'createdAt', ARGV[4], 'updatedAt', ARGV[5], 'lastSeq', ARGV[8], 'count', '0' }
if ARGV[6] ~= '' then
  fields[#fields + 1] = 'expiresAt'
  fields[#fields + 1] = ARGV[6]
  fields[#fields + 1] = 'ttlMs'
  fields[#fields + 1] = ARGV[7]
end
for i = 9, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', S, unpack(fields))
if ARGV[6] ~= '' then redis.call('PEXPIREAT', S, ARGV[6]) end
redis.call('ZADD', I, score, enc)
return 1
`,
};
