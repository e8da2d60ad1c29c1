import type { Outcome, RestoreMessagesRequest, StoredEntry } from '@sessions/core';
import type { RedisContext } from './context.js';
import { LUA_INT, LUA_NOTIFY, LUA_STATE, LUA_ZADD_ALL } from './lua.js';
import { isRefusal, type RedisScript } from './script.js';

/** The restore-messages script's arguments, by name. */
interface RestoreMessagesArgs {
  now: number;
  /** Ascending seqs, each with its own createdAt. */
  entries: StoredEntry[];
}

function argv(a: RestoreMessagesArgs): string[] {
  const args = [String(a.now)];
  for (const entry of a.entries) args.push(String(entry.seq), String(entry.createdAt), entry.text);
  return args;
}

/**
 * Writes messages with their own seqs and createdAt into a live session, atomically. Seqs must
 * be above every held seq and at most lastSeq, else `SESSIONS_BOUNDS <highestHeld> <lastSeq>`.
 * lastSeq, updatedAt and the expiry instant stay as they are; the messages key gets the
 * record's expiry. KEYS: record, messages. Returns 1; `SESSIONS_NOT_FOUND`, `SESSIONS_BOUNDS`.
 */
export const restoreMessagesScript: RedisScript = {
  name: 'sessionsRestoreMessages',
  numberOfKeys: 2,
  lua: `${LUA_INT}${LUA_NOTIFY}${LUA_STATE}${LUA_ZADD_ALL}
local S, M = KEYS[1], KEYS[2]
local TRIPLES = 2
local st = state(S, tonumber(ARGV[1]))
if not st or not st.live then return redis.error_reply('SESSIONS_NOT_FOUND') end
local n = (#ARGV - 1) / 3
if n == 0 then return 1 end
local top = redis.call('ZRANGE', M, -1, -1, 'WITHSCORES')
local highest = top[2] and tonumber(top[2]) or 0
if tonumber(ARGV[TRIPLES]) <= highest or tonumber(ARGV[#ARGV - 2]) > st.lastSeq then
  return redis.error_reply('SESSIONS_BOUNDS ' .. int(highest) .. ' ' .. int(st.lastSeq))
end
local entries = {}
for i = TRIPLES, #ARGV, 3 do
  entries[#entries + 1] = ARGV[i]
  entries[#entries + 1] = ARGV[i] .. ':' .. ARGV[i + 1] .. ':' .. ARGV[i + 2]
end
zaddAll(M, entries)
redis.call('HSET', S, 'count', int(st.count + n))
if st.expiresAt then redis.call('PEXPIREAT', M, int(st.expiresAt)) end
notify(S)
return 1
`,
};

/** `restoreMessages`: one EVALSHA. */
export async function restoreMessages(ctx: RedisContext, request: RestoreMessagesRequest): Promise<Outcome<void, 'not_found' | 'out_of_bounds'>> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  const reply = await ctx.scripts.run(restoreMessagesScript, [k.record, k.messages], argv({ now: request.now, entries: request.entries }));
  if (!isRefusal(reply)) return undefined;
  if (reply.refused === 'BOUNDS') return { failure: 'out_of_bounds', highestHeld: reply.args[0] ?? 0, lastSeq: reply.args[1] ?? 0 };
  return { failure: 'not_found' };
}
