import { PRELUDE, type RedisScript } from './script.js';

/**
 * Reads a range of messages of a live session: `[]` when the session is missing or expired.
 * Without seq bounds the range is taken by rank (`ZRANGE -limit -1`), with bounds by score;
 * both are O(log n + limit). Members come back oldest first.
 *
 * KEYS: record, messages. ARGV: now, afterSeq ('' = none), beforeSeq ('' = none),
 * limit ('' = all, else > 0), from ('start' / 'end').
 */
export const readMessagesScript: RedisScript = {
  name: 'sessionsReadMessages',
  numberOfKeys: 2,
  lua: `${PRELUDE}
local S, M = KEYS[1], KEYS[2]
local now = tonumber(ARGV[1])
local after, before, limit, from = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local h = redis.call('HMGET', S, 'lastSeq', 'expiresAt')
if not h[1] or (h[2] and tonumber(h[2]) <= now) then return {} end
if after == '' and before == '' then
  if limit == '' then return redis.call('ZRANGE', M, 0, -1) end
  local n = tonumber(limit)
  if from == 'end' then return redis.call('ZRANGE', M, -n, -1) end
  return redis.call('ZRANGE', M, 0, n - 1)
end
local lo = after == '' and '-inf' or '(' .. after
local hi = before == '' and '+inf' or '(' .. before
if limit == '' then return redis.call('ZRANGE', M, lo, hi, 'BYSCORE') end
if from == 'start' then return redis.call('ZRANGE', M, lo, hi, 'BYSCORE', 'LIMIT', 0, limit) end
local newest = redis.call('ZRANGE', M, hi, lo, 'BYSCORE', 'REV', 'LIMIT', 0, limit)
local out = {}
for i = #newest, 1, -1 do out[#out + 1] = newest[i] end
return out
`,
};
