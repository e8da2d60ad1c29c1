/**
 * Lua shared by the scripts that walk a user's listing index (KEYS[1]) rather than one session.
 * `base` is `<prefix>{<user>}`, from which the session keys of a member are built: they carry
 * the same hash tag as the index, so they are in its slot.
 *
 * An index member is 'stale' when its session record is gone (Redis expired it) or has moved
 * to another member (a newer incarnation of the same id); 'expired' when the record is still
 * there but past its expiresAt by the client clock; else 'live'.
 */
export const INDEX_ENTRY = `
local function entry(base, m, now)
  local enc = string.sub(m, 18)
  local S = base .. ':s:' .. enc
  local h = redis.call('HMGET', S, 'updatedAt', 'expiresAt')
  if not h[1] or rank(tonumber(h[1]), enc) ~= m then return 'stale', S, enc end
  if h[2] and tonumber(h[2]) <= now then return 'expired', S, enc end
  return 'live', S, enc
end

local function dropSession(base, enc)
  redis.call('DEL', base .. ':s:' .. enc, base .. ':m:' .. enc, base .. ':k:' .. enc)
end
`;
