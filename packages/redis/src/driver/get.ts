import type { GetRequest, SessionWithEntries } from '@sessions/core';
import type { RedisContext } from './context.js';
import { LUA_STATE } from './lua.js';
import { decodeEntries, decodeRecord, optionalArg } from './records.js';
import { isRefusal, type RedisScript } from './script.js';

/** The read-session script's arguments, by name. */
interface GetArgs {
  now: number;
  /** How many of the newest messages to return (all when `undefined`). */
  limit: number | undefined;
}

function argv(a: GetArgs): string[] {
  return [String(a.now), optionalArg(a.limit)];
}

/**
 * Reads a live session's record and its newest `limit` messages at the same instant; `nil`
 * when it is missing or expired. KEYS: record, messages.
 * Returns `{ record fields (HGETALL), messages }`.
 */
export const getScript: RedisScript = {
  name: 'sessionsReadSession',
  numberOfKeys: 2,
  readOnly: true,
  lua: `${LUA_STATE}
local S, M = KEYS[1], KEYS[2]
local now, limit = tonumber(ARGV[1]), ARGV[2]
local st = state(S, now)
if not st or not st.live then return nil end
local messages = {}
if limit == '' then messages = redis.call('ZRANGE', M, 0, -1)
elseif limit ~= '0' then messages = redis.call('ZRANGE', M, -tonumber(limit), -1) end
return { redis.call('HGETALL', S), messages }
`,
};

/** `get`: one EVALSHA. */
export async function get(ctx: RedisContext, request: GetRequest): Promise<SessionWithEntries | null> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  const reply = await ctx.scripts.run<[string[], string[]] | null>(getScript, [k.record, k.messages], argv({ now: request.now, limit: request.limit }));
  if (!reply || isRefusal(reply)) return null;
  return { session: decodeRecord(request.userId, request.sessionId, reply[0]), entries: decodeEntries(reply[1]) };
}
