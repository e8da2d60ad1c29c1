/*
 * Lua helpers the scripts are built from. Each script includes only the ones it calls: every
 * helper is a closure created on each run, so unused ones would cost time on every call.
 *
 * Conventions shared by the session scripts: `KEYS = { record, messages, idempotency, index }`,
 * and the first three ARGV are now (ms, the store clock), the encoded session id, and the
 * session's listing-index score for now (`-now`: the index is a sorted set of encoded ids
 * scored by `-updatedAt`).
 *
 * Numbers go back to Redis through `int()`: Lua 5.1 would print them with `%.14g`, which loses
 * digits above 10^14. Scripts check everything before their first write, because Redis does not
 * roll back the writes of a script that fails half-way.
 */

/** `int(x)`: a number as an integer string. */
export const LUA_INT = `
local function int(x) return string.format('%d', x) end
`;

/** `state(S, now)`: the record's bookkeeping fields, or nil. */
export const LUA_STATE = `
-- The session record's bookkeeping, or nil when there is none; live = not expired at now.
local function state(S, now)
  local h = redis.call('HMGET', S, 'updatedAt', 'expiresAt', 'ttlMs', 'lastSeq', 'count')
  if not h[1] then return nil end
  local exp = h[2] and tonumber(h[2]) or nil
  return { updatedAt = tonumber(h[1]), expiresAt = exp, ttl = h[3] and tonumber(h[3]) or nil,
    lastSeq = tonumber(h[4]), count = tonumber(h[5]), live = (exp == nil) or exp > now }
end
`;

/** `wipe(S, M, K, I, enc)`: deletes a session's keys and index entry. */
export const LUA_WIPE = `
-- Removes every key of a session and its index entry.
local function wipe(S, M, K, I, enc)
  redis.call('DEL', S, M, K)
  redis.call('ZREM', I, enc)
end
`;

/**
 * `notify(S)`: publishes that the session of record key `S` changed, on its channel
 * `<prefix>{<user>}:w:<session>` (see `KeySpace.channel`). The channel carries the user's hash
 * tag, so on a cluster the sharded publish stays on the slot the script runs on. The payload is
 * empty: a notification says only "re-read", the watcher reads what changed. `SPUBLISH` when
 * the server has it (Redis 7+), else `PUBLISH` (the subscriber side falls back the same way).
 * A publish with no subscriber is a dictionary lookup: writes nobody watches pay almost nothing.
 */
export const LUA_NOTIFY = `
-- Publishes an empty notification on the session's channel (record key with :s: -> :w:).
-- The prefix has no braces and the user tag is base64url, so the first '}' ends the tag.
local function notify(S)
  local tag = string.find(S, '}', 1, true)
  local ch = string.sub(S, 1, tag) .. ':w:' .. string.sub(S, tag + 4)
  local r = redis.pcall('SPUBLISH', ch, '')
  if type(r) == 'table' and r.err then redis.call('PUBLISH', ch, '') end
end
`;

/** `touch(...)`: records a write and notifies watchers (includes {@link LUA_NOTIFY}; needs {@link LUA_INT}). */
export const LUA_TOUCH = `${LUA_NOTIFY}
-- Records a write at now: sets fields plus updatedAt (and expiresAt), slides the expiry of
-- every key of the session, and moves its index entry to score (-now).
local function touch(S, M, K, I, ttl, now, enc, score, fields)
  fields[#fields + 1] = 'updatedAt'
  fields[#fields + 1] = int(now)
  local exp
  if ttl then
    exp = int(now + ttl)
    fields[#fields + 1] = 'expiresAt'
    fields[#fields + 1] = exp
  end
  redis.call('HSET', S, unpack(fields))
  if exp then
    redis.call('PEXPIREAT', S, exp)
    redis.call('PEXPIREAT', M, exp)
    redis.call('PEXPIREAT', K, exp)
  end
  redis.call('ZADD', I, score, enc)
  notify(S)
end
`;

/** `applied(K, key)`: the result an idempotency key first gave, or nil (needs nothing else). */
export const LUA_APPLIED = `
-- An applied idempotency key's first result: 'first:last' (append) or 'first:last:removed'
-- (replaceTail), read back as three numbers (removed = 0 for an append).
local function applied(K, key)
  local v = redis.call('HGET', K, key)
  if not v then return nil end
  local first, last, removed = string.match(v, '^(%d+):(%d+):?(%d*)$')
  return { tonumber(first), tonumber(last), tonumber(removed) or 0 }
end
`;

/** `readMeta`, `patchMeta`, `metaSize`, `metaFields`: metadata as one hash field per key. */
export const LUA_METADATA = `
-- Metadata lives in the record hash, one field per key: the field is the JSON text of the key
-- (so it starts with a double quote, which no bookkeeping field does) and the value is the
-- JSON text of the value.
local function readMeta(S)
  local all = redis.call('HGETALL', S)
  local meta = {}
  for i = 1, #all, 2 do
    if string.byte(all[i]) == 34 then meta[all[i]] = all[i + 1] end
  end
  return meta
end

-- Applies ARGV pairs from index 'from' on: an empty value removes the key.
local function patchMeta(meta, from)
  for i = from, #ARGV, 2 do
    if ARGV[i + 1] == '' then meta[ARGV[i]] = nil else meta[ARGV[i]] = ARGV[i + 1] end
  end
end

-- Byte length of the JSON object the metadata encodes to: '{' k:v ',' ... '}'.
local function metaSize(meta)
  local size, n = 2, 0
  for k, v in pairs(meta) do
    size = size + #k + 1 + #v
    n = n + 1
  end
  if n > 1 then size = size + n - 1 end
  return size
end

local function metaFields(meta, fields)
  for k, v in pairs(meta) do
    fields[#fields + 1] = k
    fields[#fields + 1] = v
  end
  return fields
end
`;

/** `zaddAll(key, args)`: ZADD in chunks. */
export const LUA_ZADD_ALL = `
-- ZADD in chunks: unpack() of a huge table would overflow the Lua stack.
local function zaddAll(key, args)
  for i = 1, #args, 1000 do
    redis.call('ZADD', key, unpack(args, i, math.min(i + 999, #args)))
  end
end
`;

/**
 * `entry(base, enc, now)` and `dropSession(base, enc)` (which notifies watchers; includes
 * {@link LUA_NOTIFY}): for the scripts that walk a user's
 * listing index (KEYS[1]) rather than one session. `base` is `<prefix>{<user>}`, from which the
 * keys of a member are built: they carry the index's hash tag, so they are in its slot.
 * An entry is 'stale' when its session record is gone (Redis expired it), 'expired' when the
 * record is still there but past its expiresAt by the store clock, else 'live'.
 */
export const LUA_INDEX_ENTRY = `${LUA_NOTIFY}
local function entry(base, enc, now)
  local S = base .. ':s:' .. enc
  local h = redis.call('HMGET', S, 'lastSeq', 'expiresAt')
  if not h[1] then return 'stale', S end
  if h[2] and tonumber(h[2]) <= now then return 'expired', S end
  return 'live', S
end

local function dropSession(base, enc)
  local S = base .. ':s:' .. enc
  redis.call('DEL', S, base .. ':m:' .. enc, base .. ':k:' .. enc)
  notify(S)
end
`;
