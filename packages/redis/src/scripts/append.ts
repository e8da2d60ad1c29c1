import { LUA_INT, LUA_STATE, LUA_WIPE, LUA_TOUCH, LUA_ZADD_ALL, type RedisScript } from './script.js';

/**
 * Appends a batch in one atomic step, in the order of the contract: idempotency key already
 * applied → the first result again; `expectedLastSeq` → `SESSIONS_CONFLICT <lastSeq>`; missing
 * session → created, or `SESSIONS_NOT_FOUND` with create off; then seqs `lastSeq+1..` are
 * assigned, the expiry slid and the index entry moved.
 *
 * ARGV: now, enc, score, defaultTtl ('' = none), create ('1'/'0'), expectedLastSeq ('' = any),
 * idempotencyKey ('' = none), then one JSON text per message.
 * Returns `{ firstSeq, lastSeq, duplicate (0/1) }`.
 */
export const appendScript: RedisScript = {
  name: 'sessionsAppend',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_WIPE}${LUA_TOUCH}${LUA_ZADD_ALL}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local idem = ARGV[7]
local st = state(S, now)
if st and not st.live then
  wipe(S, M, K, I, enc)
  st = nil
end
if st and idem ~= '' then
  local applied = redis.call('HGET', K, idem)
  if applied then
    local first, last = string.match(applied, '^(%d+):(%d+)$')
    return { tonumber(first), tonumber(last), 1 }
  end
end
local last = st and st.lastSeq or 0
if ARGV[6] ~= '' and tonumber(ARGV[6]) ~= last then
  return redis.error_reply('SESSIONS_CONFLICT ' .. int(last))
end
local ttl, count
local fields = {}
if st then
  ttl, count = st.ttl, st.count
else
  if ARGV[5] ~= '1' then return redis.error_reply('SESSIONS_NOT_FOUND') end
  ttl = ARGV[4] ~= '' and tonumber(ARGV[4]) or nil
  count = 0
  redis.call('DEL', M, K)
  fields = { 'createdAt', ARGV[1] }
  if ttl then
    fields[#fields + 1] = 'ttlMs'
    fields[#fields + 1] = int(ttl)
  end
end
local n = #ARGV - 7
local entries = {}
for i = 1, n do
  local seq = int(last + i)
  entries[2 * i - 1] = seq
  entries[2 * i] = seq .. ':' .. ARGV[1] .. ':' .. ARGV[7 + i]
end
zaddAll(M, entries)
local first = last + 1
last = last + n
fields[#fields + 1] = 'lastSeq'
fields[#fields + 1] = int(last)
fields[#fields + 1] = 'count'
fields[#fields + 1] = int(count + n)
if idem ~= '' then redis.call('HSET', K, idem, int(first) .. ':' .. int(last)) end
touch(S, M, K, I, ttl, now, enc, score, fields)
return { first, last, 0 }
`,
};
