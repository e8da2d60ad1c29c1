import type { CreateRequest, JsonObject, Outcome, SessionInfo } from '@sessions/core';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { LUA_INT, LUA_STATE, LUA_TOUCH, LUA_WIPE } from './lua.js';
import { metadataArgs, newSessionInfo, optionalArg, ttlArg } from './records.js';
import { isRefusal, type RedisScript } from './script.js';

/** The create script's arguments, by name (shared by `create` and `getOrCreate`). */
export interface CreateArgs {
  now: number;
  encodedId: string;
  /** 'create' fails on a live session; 'getOrCreate' returns it. */
  mode: 'create' | 'getOrCreate';
  ttlMs: number | null;
  /** How many of the newest messages 'getOrCreate' returns with a live session (all when `undefined`). */
  limit: number | undefined;
  metadata: JsonObject;
}

/** The create script's ARGV. */
export function createArgv(a: CreateArgs): string[] {
  return [String(a.now), a.encodedId, String(-a.now), a.mode, ttlArg(a.ttlMs), optionalArg(a.limit), ...metadataArgs(a.metadata)];
}

/**
 * Creates a session, or (mode 'getOrCreate') returns the live one with its newest `limit`
 * messages. An expired record with that id is wiped first, so the new session starts from seq 1.
 * Returns `{ 1 }` when created, `{ 0, record fields, messages }` for a live session, or
 * `SESSIONS_EXISTS` in mode 'create'.
 */
export const createScript: RedisScript = {
  name: 'sessionsCreate',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_WIPE}${LUA_TOUCH}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local mode, ttlArg, limit = ARGV[4], ARGV[5], ARGV[6]
local METADATA = 7
local st = state(S, now)
if st and st.live then
  if mode == 'create' then return redis.error_reply('SESSIONS_EXISTS') end
  local messages = {}
  if limit == '' then messages = redis.call('ZRANGE', M, 0, -1)
  elseif limit ~= '0' then messages = redis.call('ZRANGE', M, -tonumber(limit), -1) end
  return { 0, redis.call('HGETALL', S), messages }
end
wipe(S, M, K, I, enc)
local ttl = ttlArg ~= '' and tonumber(ttlArg) or nil
local fields = { 'createdAt', ARGV[1], 'lastSeq', '0', 'count', '0' }
if ttl then
  fields[#fields + 1] = 'ttlMs'
  fields[#fields + 1] = int(ttl)
end
for i = METADATA, #ARGV do fields[#fields + 1] = ARGV[i] end
touch(S, M, K, I, ttl, now, enc, score, fields)
return { 1 }
`,
};

/** `create`: one EVALSHA. */
export async function create(ctx: RedisContext, request: CreateRequest): Promise<Outcome<SessionInfo, 'already_exists'>> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  const args = createArgv({ now: request.now, encodedId: k.encodedId, mode: 'create', ttlMs: request.ttlMs, limit: 0, metadata: request.metadata });
  const reply = await ctx.scripts.run(createScript, sessionKeyList(k), args);
  if (isRefusal(reply)) return { failure: 'already_exists' };
  return newSessionInfo(request.userId, request.sessionId, request.metadata, request.ttlMs, request.now);
}
