import type { Outcome, RewriteOutcome, RewriteRequest } from '@sessions/core';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { LUA_INT, LUA_STATE, LUA_TOUCH } from './lua.js';
import { isRefusal, type RedisScript } from './script.js';
import { optionalArg } from './records.js';

/** The rewrite script's arguments, by name. */
interface RewriteArgs {
  now: number;
  encodedId: string;
  expectedLastSeq: number | undefined;
  /** Ascending seqs, each with its new text. */
  entries: { seq: number; text: string }[];
}

function argv(a: RewriteArgs): string[] {
  const args = [String(a.now), a.encodedId, String(-a.now), optionalArg(a.expectedLastSeq)];
  for (const { seq, text } of a.entries) args.push(String(seq), text);
  return args;
}

/**
 * Replaces the text of held messages in place, keeping each one's seq and createdAt, then
 * records the write; a seq the session does not hold is reported, never written. Each lookup
 * is a `ZRANGE BYSCORE` of one seq: O(log n) per message, whatever the history's length.
 * Returns `{ rewritten, { missing seqs } }`; `SESSIONS_NOT_FOUND`, `SESSIONS_CONFLICT <lastSeq>`.
 */
export const rewriteScript: RedisScript = {
  name: 'sessionsRewrite',
  numberOfKeys: 4,
  lua: `${LUA_INT}${LUA_STATE}${LUA_TOUCH}
local S, M, K, I = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, enc, score, expected = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
local PAIRS = 5
local st = state(S, now)
if not st or not st.live then return redis.error_reply('SESSIONS_NOT_FOUND') end
if expected ~= '' and tonumber(expected) ~= st.lastSeq then
  return redis.error_reply('SESSIONS_CONFLICT ' .. int(st.lastSeq))
end
local rewritten, missing = 0, {}
for i = PAIRS, #ARGV, 2 do
  local seq = ARGV[i]
  local held = redis.call('ZRANGE', M, seq, seq, 'BYSCORE')[1]
  if held then
    local createdAt = string.match(held, '^%d+:(%d+):')
    redis.call('ZREM', M, held)
    redis.call('ZADD', M, seq, seq .. ':' .. createdAt .. ':' .. ARGV[i + 1])
    rewritten = rewritten + 1
  else
    missing[#missing + 1] = tonumber(seq)
  end
end
touch(S, M, K, I, st.ttl, now, enc, score, {})
return { rewritten, missing }
`,
};

/** `rewrite`: one EVALSHA. */
export async function rewrite(ctx: RedisContext, request: RewriteRequest): Promise<Outcome<RewriteOutcome, 'not_found' | 'conflict'>> {
  const k = ctx.keys.session(request.userId, request.sessionId);
  const reply = await ctx.scripts.run<[number, number[]]>(
    rewriteScript,
    sessionKeyList(k),
    argv({ now: request.now, encodedId: k.encodedId, expectedLastSeq: request.expectedLastSeq, entries: request.entries }),
  );
  if (isRefusal(reply)) return reply.refused === 'CONFLICT' ? { failure: 'conflict', lastSeq: reply.args[0] ?? 0 } : { failure: 'not_found' };
  return { rewritten: reply[0], missing: reply[1] };
}
