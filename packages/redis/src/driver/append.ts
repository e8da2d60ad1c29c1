import type { AppendOutcome, AppendRequest, Outcome } from '@sessions/core';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { LUA_APPLIED, LUA_INT, LUA_STATE, LUA_TOUCH, LUA_WIPE, LUA_ZADD_ALL } from './lua.js';
import { isRefusal, type RedisScript } from './script.js';
import { optionalArg, ttlArg } from './records.js';

/** The append script's arguments, by name. */
interface AppendArgs {
  now: number;
  encodedId: string;
  /** The TTL of a session this append creates; `null` = never expires. */
  ttlMs: number | null;
  create: boolean;
  expectedLastSeq: number | undefined;
  idempotencyKey: string | undefined;
  texts: string[];
}

function argv(a: AppendArgs): string[] {
  return [String(a.now), a.encodedId, String(-a.now), ttlArg(a.ttlMs), a.create ? '1' : '0', optionalArg(a.expectedLastSeq), a.idempotencyKey ?? '', ...a.texts];
}

/**
 * Appends a batch in one atomic step, in the order of the contract: idempotency key already
 * applied → the first result again; `expectedLastSeq` → `SESSIONS_CONFLICT <lastSeq>`; missing
 * session → created, or `SESSIONS_NOT_FOUND` with create off; then seqs `lastSeq+1..` are
 * assigned, the expiry of every key slid and the index entry moved.
 * Returns `{ firstSeq, lastSeq, duplicate (0/1) }`.
 */
export const appendScript: RedisScript = {
  name: 'sessionsAppend',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_WIPE}${LUA_TOUCH}${LUA_APPLIED}${LUA_ZADD_ALL}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local defaultTtl, create, expected, idem = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local TEXTS = 8
local st = state(S, now)
if st and not st.live then
  wipe(S, M, K, I, enc)
  st = nil
end
if st and idem ~= '' then
  local first = applied(K, idem)
  if first then return { first[1], first[2], 1 } end
end
local last = st and st.lastSeq or 0
if expected ~= '' and tonumber(expected) ~= last then
  return redis.error_reply('SESSIONS_CONFLICT ' .. int(last))
end
local ttl, count
local fields = {}
if st then
  ttl, count = st.ttl, st.count
else
  if create ~= '1' then return redis.error_reply('SESSIONS_NOT_FOUND') end
  ttl = defaultTtl ~= '' and tonumber(defaultTtl) or nil
  count = 0
  redis.call('DEL', M, K)
  fields = { 'createdAt', ARGV[1] }
  if ttl then
    fields[#fields + 1] = 'ttlMs'
    fields[#fields + 1] = int(ttl)
  end
end
local n = #ARGV - TEXTS + 1
local entries = {}
for i = 1, n do
  local seq = int(last + i)
  entries[2 * i - 1] = seq
  entries[2 * i] = seq .. ':' .. ARGV[1] .. ':' .. ARGV[TEXTS - 1 + i]
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

/** `append`: one EVALSHA. */
export async function append(ctx: RedisContext, request: AppendRequest): Promise<Outcome<AppendOutcome, 'not_found' | 'conflict'>> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  const reply = await ctx.scripts.run<[number, number, number]>(
    appendScript,
    sessionKeyList(k),
    argv({
      now: request.now,
      encodedId: k.encodedId,
      ttlMs: request.ttlMs,
      create: request.create,
      expectedLastSeq: request.expectedLastSeq,
      idempotencyKey: request.idempotencyKey,
      texts: request.texts,
    }),
  );
  if (isRefusal(reply)) return reply.refused === 'CONFLICT' ? { failure: 'conflict', lastSeq: reply.args[0] ?? 0 } : { failure: 'not_found' };
  return { firstSeq: reply[0], lastSeq: reply[1], duplicate: reply[2] === 1 };
}
