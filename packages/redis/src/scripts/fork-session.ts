import { LUA_INT, LUA_STATE, LUA_WIPE, LUA_TOUCH, LUA_METADATA, type RedisScript } from './script.js';

/**
 * Forks a session into a new one of the same user: the messages with seq <= uptoSeq (clamped
 * to the source's lastSeq) are copied server-side with `ZRANGESTORE`, keeping their seqs and
 * createdAt; metadata = source's + `forkedFrom` + the patch; TTL inherited; created now.
 *
 * KEYS: source record, messages, idempotency, index, then target record, messages, idempotency.
 * ARGV: now, target enc, target index score, uptoSeq ('' = all), JSON of the source id,
 * maxMetadataBytes, then the patch as (JSON key, JSON value or '') pairs.
 * Returns the target's record fields; `SESSIONS_NOT_FOUND`, `SESSIONS_EXISTS`,
 * `SESSIONS_TOO_LARGE <bytes>`.
 */
export const forkSessionScript: RedisScript = {
  name: 'sessionsFork',
  numberOfKeys: 7,
  lua: `${LUA_INT}${LUA_STATE}${LUA_WIPE}${LUA_TOUCH}${LUA_METADATA}
local S, M, I = KEYS[1], KEYS[2], KEYS[4]
local S2, M2, K2 = KEYS[5], KEYS[6], KEYS[7]
local now, enc2, score2 = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local source = state(S, now)
if not source or not source.live then return redis.error_reply('SESSIONS_NOT_FOUND') end
local target = state(S2, now)
if target and target.live then return redis.error_reply('SESSIONS_EXISTS') end
local upto = source.lastSeq
if ARGV[4] ~= '' and tonumber(ARGV[4]) < upto then upto = tonumber(ARGV[4]) end
local meta = readMeta(S)
meta['"forkedFrom"'] = '{"sessionId":' .. ARGV[5] .. ',"seq":' .. int(upto) .. '}'
patchMeta(meta, 7)
local size = metaSize(meta)
if size > tonumber(ARGV[6]) then return redis.error_reply('SESSIONS_TOO_LARGE ' .. int(size)) end
wipe(S2, M2, K2, I, enc2)
local copied = redis.call('ZRANGESTORE', M2, M, '-inf', upto, 'BYSCORE')
local fields = { 'createdAt', ARGV[1], 'lastSeq', int(upto), 'count', int(copied) }
if source.ttl then
  fields[#fields + 1] = 'ttlMs'
  fields[#fields + 1] = int(source.ttl)
end
metaFields(meta, fields)
touch(S2, M2, K2, I, source.ttl, now, enc2, score2, fields)
return redis.call('HGETALL', S2)
`,
};
