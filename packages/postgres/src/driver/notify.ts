import { createHash } from 'node:crypto';

/**
 * Change notifications (`LISTEN` / `NOTIFY`). Every write statement or transaction of the
 * driver calls `pg_notify(channel, payload)` as part of itself, so PostgreSQL sends the
 * notification exactly when the write commits, and never for a write that rolled back.
 *
 * - ONE channel per schema (see {@link channelName}): a store listens once, whatever the number
 *   of sessions watched, and stores in other schemas never wake it.
 * - The payload is a short hash of the session's key (or, for `deleteUser`, of the user's),
 *   never an id or any content: notifications are visible to every role that can `LISTEN`, and
 *   PostgreSQL caps a payload at 8000 bytes. A collision only wakes a watcher for nothing
 *   (it re-reads and finds no change).
 * - PostgreSQL folds identical notifications of one transaction into one.
 */

/** Longest channel name PostgreSQL takes (NAMEDATALEN - 1 bytes). */
const MAX_CHANNEL_BYTES = 63;
const CHANNEL_PREFIX = 'sessions.';

/**
 * The channel the store's writes in `schema` notify on: `sessions.<schema>` when it fits in 63
 * bytes and is plain ASCII with no quote (readable in `pg_stat_activity` and `LISTEN`), else
 * `sessions.` and 32 hex digits of the schema name's SHA-256.
 */
export function channelName(schema: string): string {
  const readable = `${CHANNEL_PREFIX}${schema}`;
  // Printable ASCII without quotes: no quoting question anywhere the name travels.
  if (Buffer.byteLength(readable, 'utf8') <= MAX_CHANNEL_BYTES && /^[\x20-\x7e]+$/.test(readable) && !/["'\\]/.test(readable)) return readable;
  return `${CHANNEL_PREFIX}${createHash('sha256').update(schema, 'utf8').digest('hex').slice(0, 32)}`;
}

/** The channel name as a SQL string literal, for statement text (it holds no quote, see {@link channelName}). */
export function channelLiteral(schema: string): string {
  return `'${channelName(schema)}'`;
}

/**
 * 64 bits of FNV-1a over `text`'s UTF-16 code units, as 16 hex digits: two 32-bit lanes with
 * different offsets. Not cryptographic (nothing here needs it), and about 0.1 µs for an id.
 */
function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/**
 * The payload of a write to one session: a hash of its key columns' values (storage keys).
 * Ids cannot hold control characters, so the separators keep `(a, bc)` apart from `(ab, c)`.
 */
export function sessionPayload(user: string, session: string): string {
  return hash64(`s\u0000${user}\u0000${session}`);
}

/** The payload of a write to every session of a user (`deleteUser`). */
export function userPayload(user: string): string {
  return hash64(`u\u0000${user}`);
}

/**
 * A CTE named `notified` that sends the notification once (from `from`: once per row of that
 * CTE, which must hold at most one; without it, once). A statement must read `notified` in its
 * final SELECT: PostgreSQL skips a plain SELECT CTE nobody reads. `payload` is the placeholder
 * of the payload parameter.
 */
export const notifiedCte = (channel: string, payload: string, from?: string): string =>
  `notified AS (SELECT pg_notify(${channel}, ${payload}::text)${from ? ` FROM ${from}` : ''})`;
