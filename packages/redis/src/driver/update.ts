import type { JsonObject, Outcome, SessionInfo, UpdateRequest } from '@sessions/core';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { LUA_INT, LUA_METADATA, LUA_STATE, LUA_TOUCH } from './lua.js';
import { decodeRecord, metadataArgs } from './records.js';
import { isRefusal, type RedisScript } from './script.js';

/** The update script's arguments, by name. */
interface UpdateArgs {
  now: number;
  encodedId: string;
  /** `undefined` keeps the TTL, `null` removes it, a number sets it. */
  ttlMs: number | null | undefined;
  maxMetadataBytes: number;
  /** Shallow-merged; a `null` value removes the key. */
  patch: JsonObject | undefined;
}

function argv(a: UpdateArgs): string[] {
  const ttlMode = a.ttlMs === undefined ? 'keep' : a.ttlMs === null ? 'none' : 'set';
  return [String(a.now), a.encodedId, String(-a.now), ttlMode, a.ttlMs == null ? '' : String(a.ttlMs), String(a.maxMetadataBytes), ...metadataArgs(a.patch)];
}

/**
 * Shallow-merges a metadata patch (an empty value removes the key) and/or sets the TTL, then
 * records the write. Metadata is one hash field per key, so the merge needs no read-modify-write
 * of a JSON blob; the merged size is checked before anything is written.
 * Returns the record fields (HGETALL); `SESSIONS_NOT_FOUND`, `SESSIONS_TOO_LARGE <bytes>`.
 */
export const updateScript: RedisScript = {
  name: 'sessionsUpdate',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_TOUCH}${LUA_METADATA}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local ttlMode, ttlArg, maxBytes = ARGV[4], ARGV[5], tonumber(ARGV[6])
local PATCH = 7
local st = state(S, now)
if not st or not st.live then return redis.error_reply('SESSIONS_NOT_FOUND') end
local fields, removed = {}, {}
if #ARGV >= PATCH then
  local meta = readMeta(S)
  patchMeta(meta, PATCH)
  local size = metaSize(meta)
  if size > maxBytes then return redis.error_reply('SESSIONS_TOO_LARGE ' .. int(size)) end
  for i = PATCH, #ARGV, 2 do
    if ARGV[i + 1] == '' then removed[#removed + 1] = ARGV[i]
    else
      fields[#fields + 1] = ARGV[i]
      fields[#fields + 1] = ARGV[i + 1]
    end
  end
end
if #removed > 0 then redis.call('HDEL', S, unpack(removed)) end
local ttl = st.ttl
if ttlMode == 'set' then
  ttl = tonumber(ttlArg)
  fields[#fields + 1] = 'ttlMs'
  fields[#fields + 1] = int(ttl)
elseif ttlMode == 'none' then
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

/** `update`: one EVALSHA. */
export async function update(ctx: RedisContext, request: UpdateRequest): Promise<Outcome<SessionInfo, 'not_found' | 'metadata_too_large'>> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  const reply = await ctx.scripts.run<string[]>(
    updateScript,
    sessionKeyList(k),
    argv({ now: request.now, encodedId: k.encodedId, ttlMs: request.ttlMs, maxMetadataBytes: request.maxMetadataBytes, patch: request.patch }),
  );
  if (isRefusal(reply)) return reply.refused === 'TOO_LARGE' ? { failure: 'metadata_too_large', bytes: reply.args[0] ?? 0 } : { failure: 'not_found' };
  return decodeRecord(request.userId, request.sessionId, reply);
}
