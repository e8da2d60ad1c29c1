import { createHash } from 'node:crypto';

/**
 * Longest id (user id, session id or idempotency key) kept as is in a key column, in UTF-8
 * bytes. The contract allows 512 characters, up to 2,048 bytes, and a btree entry holds at most
 * about 2,700 bytes: two or three such ids in one primary key would not fit. Longer ids are
 * stored as a {@link storageKey} instead.
 */
export const MAX_KEY_BYTES = 512;

// The readable prefix kept in a storage key: at least 457 bytes (a code point is up to 4), so
// a storage key (prefix, marker, 64 hex digits) is always longer than MAX_KEY_BYTES and can
// never equal an id kept as is.
const PREFIX_BYTES = 460;

// Ids and idempotency keys cannot hold control characters (the store refuses them), so this
// marker never appears in an id kept as is.
const MARKER = '\u0001';

/**
 * The value a key column holds for `id`: the id itself when it is at most
 * {@link MAX_KEY_BYTES} bytes, else its first ~460 bytes, a marker and the SHA-256 of the whole
 * id. Deterministic, so every statement finds the row from the id alone; ids that differ in
 * their first 460 bytes keep their byte order.
 */
export function storageKey(id: string): string {
  if (Buffer.byteLength(id, 'utf8') <= MAX_KEY_BYTES) return id;
  let prefix = '';
  let bytes = 0;
  for (const char of id) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > PREFIX_BYTES) break;
    prefix += char;
    bytes += size;
  }
  return `${prefix}${MARKER}${createHash('sha256').update(id, 'utf8').digest('hex')}`;
}

/** The id to keep in a `*_full` column: the id when its key column holds a storage key, else `null`. */
export function fullId(id: string): string | null {
  return storageKey(id) === id ? null : id;
}
