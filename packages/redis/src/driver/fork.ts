import type { ForkRequest, JsonObject, Outcome, SessionInfo } from '@sessions/core';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { LUA_INT, LUA_METADATA, LUA_STATE, LUA_TOUCH, LUA_WIPE } from './lua.js';
import { decodeRecord, metadataArgs, optionalArg } from './records.js';
import { isRefusal, type RedisScript } from './script.js';

/** The fork script's arguments, by name. */
interface ForkArgs {
  now: number;
  /** The new session's encoded id. */
  targetEncodedId: string;
  /** Clamped to the source's lastSeq; `undefined` = all. */
  uptoSeq: number | undefined;
  sourceSessionId: string;
  maxMetadataBytes: number;
  patch: JsonObject | undefined;
}

function argv(a: ForkArgs): string[] {
  return [String(a.now), a.targetEncodedId, String(-a.now), optionalArg(a.uptoSeq), JSON.stringify(a.sourceSessionId), String(a.maxMetadataBytes), ...metadataArgs(a.patch)];
}

/**
 * Forks a session into a new one of the same user: the messages with seq <= uptoSeq (clamped
 * to the source's lastSeq) are copied server-side with `ZRANGESTORE`, keeping their seqs and
 * createdAt; metadata = source's + `forkedFrom` + the patch; TTL inherited; created now.
 *
 * KEYS: source record, messages, idempotency, index, then target record, messages, idempotency.
 * Returns the target's record fields; `SESSIONS_NOT_FOUND`, `SESSIONS_EXISTS`,
 * `SESSIONS_TOO_LARGE <bytes>`.
 */
export const forkScript: RedisScript = {
  name: 'sessionsFork',
  numberOfKeys: 7,
  lua: `${LUA_INT}${LUA_STATE}${LUA_WIPE}${LUA_TOUCH}${LUA_METADATA}
local S, M, I = KEYS[1], KEYS[2], KEYS[4]
local S2, M2, K2 = KEYS[5], KEYS[6], KEYS[7]
local now, enc2, score2 = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local uptoArg, sourceIdJson, maxBytes = ARGV[4], ARGV[5], tonumber(ARGV[6])
local PATCH = 7
local source = state(S, now)
if not source or not source.live then return redis.error_reply('SESSIONS_NOT_FOUND') end
local target = state(S2, now)
if target and target.live then return redis.error_reply('SESSIONS_EXISTS') end
local upto = source.lastSeq
if uptoArg ~= '' and tonumber(uptoArg) < upto then upto = tonumber(uptoArg) end
local meta = readMeta(S)
meta['"forkedFrom"'] = '{"sessionId":' .. sourceIdJson .. ',"seq":' .. int(upto) .. '}'
patchMeta(meta, PATCH)
local size = metaSize(meta)
if size > maxBytes then return redis.error_reply('SESSIONS_TOO_LARGE ' .. int(size)) end
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

/** `fork`: one EVALSHA (both sessions carry the user's hash tag: one slot). */
export async function fork(ctx: RedisContext, request: ForkRequest): Promise<Outcome<SessionInfo, 'not_found' | 'already_exists' | 'metadata_too_large'>> {
  const source = ctx.keys.session(request.userId, request.sessionId);
  const target = ctx.keys.session(request.userId, request.newSessionId);
  const reply = await ctx.scripts.run<string[]>(
    forkScript,
    [...sessionKeyList(source), target.record, target.messages, target.idempotency],
    argv({
      now: request.now,
      targetEncodedId: target.encodedId,
      uptoSeq: request.uptoSeq,
      sourceSessionId: request.sessionId,
      maxMetadataBytes: request.maxMetadataBytes,
      patch: request.patch,
    }),
  );
  if (isRefusal(reply)) {
    if (reply.refused === 'EXISTS') return { failure: 'already_exists' };
    return reply.refused === 'TOO_LARGE' ? { failure: 'metadata_too_large', bytes: reply.args[0] ?? 0 } : { failure: 'not_found' };
  }
  return decodeRecord(request.userId, request.newSessionId, reply);
}
