/**
 * Lua shared by the scripts that walk a user's listing index (KEYS[1]) rather than one session.
 * The index is a sorted set of encoded session ids scored by `-updatedAt`, so rank order is
 * the listing order (newest first, then id ascending, as members with equal scores sort by
 * their bytes). `base` is `<prefix>{<user>}`, from which the keys of a member are built: they
 * carry the same hash tag as the index, so they are in its slot.
 *
 * An entry is 'stale' when its session record is gone (Redis expired it), 'expired' when the
 * record is still there but past its expiresAt by the client clock, else 'live'.
 */
export const INDEX_ENTRY = `
local function entry(base, enc, now)
  local S = base .. ':s:' .. enc
  local h = redis.call('HMGET', S, 'lastSeq', 'expiresAt')
  if not h[1] then return 'stale', S end
  if h[2] and tonumber(h[2]) <= now then return 'expired', S end
  return 'live', S
end

local function dropSession(base, enc)
  redis.call('DEL', base .. ':s:' .. enc, base .. ':m:' .. enc, base .. ':k:' .. enc)
end
`;
