import { LUA_INT, LUA_STATE, LUA_TOUCH, LUA_METADATA, type RedisScript } from './script.js';

/**
 * Shallow-merges a metadata patch (an empty value removes the key) and/or sets the TTL, then
 * records the write. Metadata is one hash field per key, so the merge needs no read-modify-write
 * of a JSON blob; the merged size is checked before anything is written.
 *
 * ARGV: now, enc, score, ttlMode ('keep' / 'set' / 'none'), ttl, maxMetadataBytes, then the
 * patch as (JSON key, JSON value or '') pairs.
 * Returns the record fields (HGETALL); `SESSIONS_NOT_FOUND`, `SESSIONS_TOO_LARGE <bytes>`.
 */
export const updateSessionScript: RedisScript = {
  name: 'sessionsUpdate',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_TOUCH}${LUA_METADATA}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local st = state(S, now)
if not st or not st.live then return redis.error_reply('SESSIONS_NOT_FOUND') end
local fields, removed = {}, {}
if #ARGV > 6 then
  local meta = readMeta(S)
  patchMeta(meta, 7)
  local size = metaSize(meta)
  if size > tonumber(ARGV[6]) then return redis.error_reply('SESSIONS_TOO_LARGE ' .. int(size)) end
  for i = 7, #ARGV, 2 do
    if ARGV[i + 1] == '' then removed[#removed + 1] = ARGV[i]
    else
      fields[#fields + 1] = ARGV[i]
      fields[#fields + 1] = ARGV[i + 1]
    end
  end
end
if #removed > 0 then redis.call('HDEL', S, unpack(removed)) end
local ttl = st.ttl
if ARGV[4] == 'set' then
  ttl = tonumber(ARGV[5])
  fields[#fields + 1] = 'ttlMs'
  fields[#fields + 1] = int(ttl)
elseif ARGV[4] == 'none' then
  ttl = nil
  redis.call('HDEL', S, 'ttlMs', 'expiresAt')
  redis.call('PERSIST', S)
  redis.call('PERSIST', M)
  redis.call('PERSIST', K)
end
touch(S, M, K, I, ttl, now, enc, score, fields)
return redis.call('HGETALL', S)
`,
};
