import type { CheckedSnapshot, Outcome, RestoreSessionRequest } from '@sessions/core';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { LUA_NOTIFY, LUA_STATE, LUA_WIPE } from './lua.js';
import { metadataArgs, ttlArg } from './records.js';
import { isRefusal, type RedisScript } from './script.js';

/** The restore-session script's arguments, by name. */
interface RestoreSessionArgs {
  now: number;
  encodedId: string;
  snapshot: CheckedSnapshot;
}

/**
 * The session's TTL for later writes is `expiresAt - updatedAt`: every write sets
 * `expiresAt = updatedAt + ttlMs`, so that difference is the source's TTL.
 */
function argv({ now, encodedId, snapshot }: RestoreSessionArgs): string[] {
  const ttlMs = snapshot.expiresAt === null ? null : Math.max(1, snapshot.expiresAt - snapshot.updatedAt);
  return [
    String(now),
    encodedId,
    String(-snapshot.updatedAt),
    String(snapshot.createdAt),
    String(snapshot.updatedAt),
    snapshot.expiresAt === null ? '' : String(snapshot.expiresAt),
    ttlArg(ttlMs),
    String(snapshot.lastSeq),
    ...metadataArgs(snapshot.metadata),
  ];
}

/**
 * Creates a session exactly as a snapshot describes it (timestamps, lastSeq, metadata), with
 * no messages; an expired record with that id is wiped first. Returns 1; `SESSIONS_EXISTS`.
 */
export const restoreSessionScript: RedisScript = {
  name: 'sessionsRestoreSession',
  numberOfKeys: 4,
  lua: `${LUA_NOTIFY}${LUA_STATE}${LUA_WIPE}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local createdAt, updatedAt, expiresAt, ttl, lastSeq = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local METADATA = 9
local st = state(S, now)
if st and st.live then return redis.error_reply('SESSIONS_EXISTS') end
wipe(S, M, K, I, enc)
local fields = { 'createdAt', createdAt, 'updatedAt', updatedAt, 'lastSeq', lastSeq, 'count', '0' }
if expiresAt ~= '' then
  fields[#fields + 1] = 'expiresAt'
  fields[#fields + 1] = expiresAt
  fields[#fields + 1] = 'ttlMs'
  fields[#fields + 1] = ttl
end
for i = METADATA, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', S, unpack(fields))
if expiresAt ~= '' then redis.call('PEXPIREAT', S, expiresAt) end
redis.call('ZADD', I, score, enc)
notify(S)
return 1
`,
};

/** `restoreSession`: one EVALSHA. */
export async function restoreSession(ctx: RedisContext, request: RestoreSessionRequest): Promise<Outcome<void, 'already_exists'>> {
  const k = ctx.keys.session(request.userId, request.snapshot.id);
  const reply = await ctx.scripts.run(restoreSessionScript, sessionKeyList(k), argv({ now: request.now, encodedId: k.encodedId, snapshot: request.snapshot }));
  return isRefusal(reply) ? { failure: 'already_exists' } : undefined;
}
