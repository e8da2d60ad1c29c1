import type { AppendOutcome, AppendRequest, Outcome } from '@sessions/core';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { LUA_NOTIFY } from './lua.js';
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
 * assigned, the expiry of every key slid and the index entry moved, and watchers notified.
 * Returns the first seq (an integer: the batch's seqs follow it), or for an idempotency key
 * already applied the text stored with it (`"first:last"`, or `"first:last:removed"` when a
 * replaceTail applied it): one integer to parse on the common path rather than an array.
 *
 * The hottest script of the store, so it is written flat rather than from the shared helpers:
 * on a live session without TTL it makes five calls (HMGET of the record, ZADD of the message,
 * HSET of the record, ZADD of the index entry, the notification) and builds no tables for a
 * single message. A session without TTL does no expiry work. Seqs and counts stay far below
 * 10^14, so Lua's own number formatting prints them exactly; the expiry instant goes through
 * `%d`. Measured server CPU per call (1 KB message, `INFO cpu` over 15,000 calls): 21 µs for the
 * helper-built script, 16 µs for this one, 4.7 µs for a bare RPUSH.
 */
export const appendScript: RedisScript = {
  name: 'sessionsAppend',
  numberOfKeys: 4,
  lua: `${LUA_NOTIFY}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score = ARGV[1], ARGV[2], ARGV[3]
local expected, idem = ARGV[6], ARGV[7]
local TEXTS = 8
local h = redis.call('HMGET', S, 'lastSeq', 'count', 'expiresAt', 'ttlMs')
local live = h[1] and not (h[3] and tonumber(h[3]) <= tonumber(now))
if h[1] and not live then
  redis.call('DEL', S, M, K)
  redis.call('ZREM', I, enc)
end
if live and idem ~= '' then
  local v = redis.call('HGET', K, idem)
  if v then return v end
end
local last = live and tonumber(h[1]) or 0
if expected ~= '' and tonumber(expected) ~= last then
  return redis.error_reply('SESSIONS_CONFLICT ' .. string.format('%d', last))
end
local count, ttl = 0, nil
if live then
  count, ttl = tonumber(h[2]), h[4]
else
  if ARGV[5] ~= '1' then return redis.error_reply('SESSIONS_NOT_FOUND') end
  redis.call('DEL', M, K)
  if ARGV[4] ~= '' then ttl = ARGV[4] end
end
local n = #ARGV - TEXTS + 1
if n == 1 then
  redis.call('ZADD', M, last + 1, (last + 1) .. ':' .. now .. ':' .. ARGV[TEXTS])
else
  local entries = {}
  for i = 1, n do
    entries[2 * i - 1] = last + i
    entries[2 * i] = (last + i) .. ':' .. now .. ':' .. ARGV[TEXTS - 1 + i]
  end
  -- In chunks: unpack() of a huge table would overflow the Lua stack.
  for i = 1, #entries, 1000 do redis.call('ZADD', M, unpack(entries, i, math.min(i + 999, #entries))) end
end
local first = last + 1
last = last + n
if idem ~= '' then redis.call('HSET', K, idem, first .. ':' .. last) end
local fields = { 'lastSeq', last, 'count', count + n, 'updatedAt', now }
if not live then
  fields[#fields + 1] = 'createdAt'
  fields[#fields + 1] = now
  if ttl then
    fields[#fields + 1] = 'ttlMs'
    fields[#fields + 1] = ttl
  end
end
if ttl then
  local exp = string.format('%d', tonumber(now) + tonumber(ttl))
  fields[#fields + 1] = 'expiresAt'
  fields[#fields + 1] = exp
  redis.call('HSET', S, unpack(fields))
  redis.call('PEXPIREAT', S, exp)
  redis.call('PEXPIREAT', M, exp)
  redis.call('PEXPIREAT', K, exp)
else
  redis.call('HSET', S, unpack(fields))
end
redis.call('ZADD', I, score, enc)
notify(S)
return first
`,
};

/** `append`: one EVALSHA. */
export async function append(ctx: RedisContext, request: AppendRequest): Promise<Outcome<AppendOutcome, 'not_found' | 'conflict'>> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  const reply = await ctx.scripts.run<number | string>(
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
  if (typeof reply === 'number') return { firstSeq: reply, lastSeq: reply + request.texts.length - 1, duplicate: false };
  // An idempotency key already applied: the result it gave first, "first:last[:removed]".
  const [first = 0, last = 0] = reply.split(':').map(Number);
  return { firstSeq: first, lastSeq: last, duplicate: true };
}
