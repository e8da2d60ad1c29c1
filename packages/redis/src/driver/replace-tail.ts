import type { Outcome, ReplaceTailOutcome, ReplaceTailRequest } from '@sessions/core';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { LUA_APPLIED, LUA_INT, LUA_STATE, LUA_TOUCH, LUA_WIPE, LUA_ZADD_ALL } from './lua.js';
import { isRefusal, type RedisScript } from './script.js';
import { optionalArg, ttlArg } from './records.js';

/** The replace-tail script's arguments, by name. */
interface ReplaceTailArgs {
  now: number;
  encodedId: string;
  /** The TTL of a session this call creates; `null` = never expires. */
  ttlMs: number | null;
  create: boolean;
  expectedLastSeq: number | undefined;
  idempotencyKey: string | undefined;
  /** Every message with a seq above it is removed. */
  afterSeq: number;
  /** May be empty (a truncation). */
  texts: string[];
}

function argv(a: ReplaceTailArgs): string[] {
  return [
    String(a.now),
    a.encodedId,
    String(-a.now),
    ttlArg(a.ttlMs),
    a.create ? '1' : '0',
    optionalArg(a.expectedLastSeq),
    a.idempotencyKey ?? '',
    String(a.afterSeq),
    ...a.texts,
  ];
}

/**
 * Removes every message with seq > afterSeq and appends the texts with new seqs
 * (`lastSeq+1..`: seqs are never reused), in one atomic step. The idempotency keys are the
 * append's (one key space; the result recorded is `first:last:removed`) and the checks come in
 * the append's order. With no texts and no session nothing is created: `{ 1, 0, 0, 0 }`.
 * Returns `{ firstSeq, lastSeq, duplicate (0/1), removed }`.
 */
export const replaceTailScript: RedisScript = {
  name: 'sessionsReplaceTail',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_WIPE}${LUA_TOUCH}${LUA_APPLIED}${LUA_ZADD_ALL}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local defaultTtl, create, expected, idem, afterSeq = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local TEXTS = 9
local st = state(S, now)
if st and not st.live then
  wipe(S, M, K, I, enc)
  st = nil
end
if st and idem ~= '' then
  local first = applied(K, idem)
  if first then return { first[1], first[2], 1, first[3] } end
end
local last = st and st.lastSeq or 0
if expected ~= '' and tonumber(expected) ~= last then
  return redis.error_reply('SESSIONS_CONFLICT ' .. int(last))
end
local n = #ARGV - TEXTS + 1
local ttl, count
local fields = {}
if st then
  ttl, count = st.ttl, st.count
else
  if n == 0 then return { 1, 0, 0, 0 } end
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
local removed = 0
if st then removed = redis.call('ZREMRANGEBYSCORE', M, '(' .. afterSeq, '+inf') end
local entries = {}
for i = 1, n do
  local seq = int(last + i)
  entries[2 * i - 1] = seq
  entries[2 * i] = seq .. ':' .. ARGV[1] .. ':' .. ARGV[TEXTS - 1 + i]
end
if n > 0 then zaddAll(M, entries) end
local first = last + 1
last = last + n
fields[#fields + 1] = 'lastSeq'
fields[#fields + 1] = int(last)
fields[#fields + 1] = 'count'
fields[#fields + 1] = int(count - removed + n)
if idem ~= '' then redis.call('HSET', K, idem, int(first) .. ':' .. int(last) .. ':' .. int(removed)) end
touch(S, M, K, I, ttl, now, enc, score, fields)
return { first, last, 0, removed }
`,
};

/** `replaceTail`: one EVALSHA. */
export async function replaceTail(ctx: RedisContext, request: ReplaceTailRequest): Promise<Outcome<ReplaceTailOutcome, 'not_found' | 'conflict'>> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  const reply = await ctx.scripts.run<[number, number, number, number]>(
    replaceTailScript,
    sessionKeyList(k),
    argv({
      now: request.now,
      encodedId: k.encodedId,
      ttlMs: request.ttlMs,
      create: request.create,
      expectedLastSeq: request.expectedLastSeq,
      idempotencyKey: request.idempotencyKey,
      afterSeq: request.afterSeq,
      texts: request.texts,
    }),
  );
  if (isRefusal(reply)) return reply.refused === 'CONFLICT' ? { failure: 'conflict', lastSeq: reply.args[0] ?? 0 } : { failure: 'not_found' };
  return { firstSeq: reply[0], lastSeq: reply[1], duplicate: reply[2] === 1, removed: reply[3] };
}
