import type { ListRequest, SessionInfo } from '@sessions/core';
import type { RedisContext } from './context.js';
import { decodeSessionId, encodeSessionId } from './keys.js';
import { LUA_INDEX_ENTRY, LUA_INT } from './lua.js';
import { decodeRecord } from './records.js';
import type { RedisScript } from './script.js';

/**
 * Index entries one list script may examine beyond the sessions it was asked for. Entries
 * of sessions Redis has expired stay in the index until something removes them; without a
 * bound, a user with 300,000 of them made every listing one 581 ms script. The walk removes
 * those it meets, and the driver continues with another call where one stopped.
 */
export const LIST_WALK_BUDGET = 500;

/** A position in a user's index: just after the member `encodedId` with index score `score`. */
export interface IndexPosition {
  score: string;
  encodedId: string;
}

/** The list script's arguments, by name. */
interface ListArgs {
  now: number;
  /** `<prefix>{<user>}`: the scripts build each session's keys from it. */
  base: string;
  /** Start after this position; `null` = from the newest. */
  after: IndexPosition | null;
  /** Live sessions wanted. */
  want: number;
  /** Most index entries to examine in this call. */
  budget: number;
}

function argv(a: ListArgs): string[] {
  return [String(a.now), a.base, a.after?.score ?? '', a.after?.encodedId ?? '', String(a.want), String(a.budget)];
}

/**
 * Walks a user's index (a sorted set of encoded session ids scored by `-updatedAt`: rank order
 * is the listing order, ties by id bytes) from a position, collecting live sessions. It starts
 * at the rank right after the position (score S, member X): `ZRANK X + 1` when X still has
 * score S (the usual case, O(log n)); otherwise the members with a score below S (`ZCOUNT`) plus
 * the members tied at S whose id sorts at or before X. It examines at most `budget` entries and
 * removes those whose session Redis already expired (with any key they left).
 *
 * KEYS: index. Returns `{ done (1 = found enough or reached the end), last examined score,
 * last examined member, enc1, record fields 1, enc2, ... }`.
 */
export const listScript: RedisScript = {
  name: 'sessionsList',
  numberOfKeys: 1,
  // Its only writes remove index entries of expired sessions: nothing a caller was told about.
  readOnly: true,
  lua: `${LUA_INT}${LUA_INDEX_ENTRY}
local I = KEYS[1]
local now, base, afterScore, afterEnc = tonumber(ARGV[1]), ARGV[2], ARGV[3], ARGV[4]
local want, budget = tonumber(ARGV[5]), tonumber(ARGV[6])
local pos = 0
if afterScore ~= '' then
  local score = tonumber(afterScore)
  local current = redis.call('ZSCORE', I, afterEnc)
  if current and tonumber(current) == score then
    pos = redis.call('ZRANK', I, afterEnc) + 1
  else
    pos = redis.call('ZCOUNT', I, '-inf', '(' .. int(score))
    local ties = redis.call('ZRANGE', I, int(score), int(score), 'BYSCORE')
    for _, m in ipairs(ties) do
      if m <= afterEnc then pos = pos + 1 else break end
    end
  end
end
local out = { 0, afterScore, afterEnc }
local found, examined = 0, 0
while found < want and examined < budget do
  local size = math.min(math.max(want - found, 16), budget - examined)
  local batch = redis.call('ZRANGE', I, pos, pos + size - 1, 'WITHSCORES')
  if #batch == 0 then
    out[1] = 1
    break
  end
  local removed = 0
  for j = 1, #batch, 2 do
    local enc = batch[j]
    examined = examined + 1
    out[2], out[3] = batch[j + 1], enc
    local kind = entry(base, enc, now)
    if kind == 'live' then
      out[#out + 1] = enc
      out[#out + 1] = redis.call('HGETALL', base .. ':s:' .. enc)
      found = found + 1
      if found == want then break end
    elseif kind == 'stale' then
      dropSession(base, enc)
      redis.call('ZREM', I, enc)
      removed = removed + 1
    end
  end
  pos = pos + #batch / 2 - removed
end
if found >= want then out[1] = 1 end
return out
`,
};

type ListReply = [done: number, lastScore: string, lastEncodedId: string, ...found: (string | string[])[]];

/**
 * Up to `want` live sessions of a user after `after`, in listing order: as many bounded script
 * calls as it takes (one, unless the walk meets more than {@link LIST_WALK_BUDGET} entries that
 * are not live).
 */
export async function walkIndex(ctx: RedisContext, userId: string, after: IndexPosition | null, want: number, now: number): Promise<SessionInfo[]> {
  const indexKey = ctx.keys.index(userId);
  const base = ctx.keys.userBase(userId);
  const found: SessionInfo[] = [];
  let position = after;
  while (found.length < want) {
    const args = argv({ now, base, after: position, want: want - found.length, budget: want - found.length + LIST_WALK_BUDGET });
    const reply = await ctx.scripts.run<ListReply>(listScript, [indexKey], args);
    if (!Array.isArray(reply)) throw new Error('the list script gave no list');
    for (let i = 3; i < reply.length; i += 2) found.push(decodeRecord(userId, decodeSessionId(reply[i] as string), reply[i + 1] as string[]));
    if (reply[0] === 1 || reply[2] === '') return found;
    position = { score: reply[1], encodedId: reply[2] };
  }
  return found;
}

/** `list`: one keyset page, `limit + 1` sessions so the store knows whether more follow. */
export async function list(ctx: RedisContext, request: ListRequest): Promise<SessionInfo[]> {
  const after = request.cursor ? { score: String(-request.cursor.updatedAt), encodedId: encodeSessionId(request.cursor.id) } : null;
  return walkIndex(ctx, request.userId, after, request.limit + 1, request.now);
}
