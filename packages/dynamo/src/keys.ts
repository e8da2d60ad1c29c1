import { createHash, randomBytes } from 'node:crypto';

/**
 * The key layout of the single table. Every id (user, session, idempotency key) is encoded
 * so that it never contains `#`: `%`, `#` and `~` are percent-escaped, so no id can produce
 * another id's key or key prefix. An encoded id longer than {@link MAX_PLAIN_ID_BYTES} UTF-8
 * bytes is replaced by `~` + base64url(SHA-256(id)) (a plain encoding never starts with `~`),
 * which keeps every key far below DynamoDB's limits (partition key 2048 bytes, sort key 1024
 * bytes). The real ids are stored as attributes of the session item.
 *
 * | item        | PK            | SK                                  |
 * |-------------|---------------|-------------------------------------|
 * | session     | `U#<user>`    | `S#<session>`                       |
 * | message     | `U#<user>`    | `S#<session>#A#<gen>#<MAX_SAFE_INTEGER - seq, 16 digits>` (gen starts with `.`) |
 * | message, 0.1 layout | `U#<user>` | `S#<session>#M#<gen>#<seq, 16 digits>` (any other gen) |
 * | idempotency | `U#<user>`    | `S#<session>#I#<gen>#<key>`         |
 *
 * `gen` is a random tag of one incarnation of a session: a session created again after it
 * expired (or was forked into) gets a new one, so items of the old incarnation that native TTL
 * or a purge has not removed yet can never show up in the new one.
 *
 * The message keys of an incarnation created now count DOWN (`A` items, newest first, right
 * after the session item in key order), so one `Query` ascending from the session item returns
 * the session item followed by its newest messages: a last-N read is one request. Incarnations
 * created before this layout (gens without the `.` mark) keep their `M` keys, counting up, and
 * are read and written exactly as before; the gen alone tells which layout an item uses.
 */

/** Longest plain encoded id, in UTF-8 bytes; longer ids are hashed. */
export const MAX_PLAIN_ID_BYTES = 200;
/** Width of a zero-padded seq in a message key. */
const SEQ_WIDTH = 16;
/** Width of a zero-padded ms timestamp in the index sort key (good until the year 33658). */
const TIME_WIDTH = 15;

/** Encodes an id for use inside a key (see the module comment). */
export function encodeId(id: string): string {
  const escaped = id.replace(/[%#~]/g, (c) => (c === '%' ? '%25' : c === '#' ? '%23' : '%7E'));
  if (Buffer.byteLength(escaped, 'utf8') <= MAX_PLAIN_ID_BYTES) return escaped;
  return '~' + createHash('sha256').update(id, 'utf8').digest('base64url');
}

/** Marks the gens of incarnations whose message keys count down (base64url never holds it). */
const NEWEST_FIRST_MARK = '.';

/**
 * A fresh incarnation tag: the newest-first mark and 12 base64url characters (72 random bits),
 * never containing `#`.
 */
export function newGeneration(): string {
  return NEWEST_FIRST_MARK + randomBytes(9).toString('base64url');
}

/** `true` when the incarnation's message keys count down (every session created by this version). */
export function newestFirst(gen: string): boolean {
  return gen.startsWith(NEWEST_FIRST_MARK);
}

/** The partition key of every item of a user. */
export function userPk(userId: string): string {
  return `U#${encodeId(userId)}`;
}

/** The sort key of a session item. */
export function sessionSk(sessionId: string): string {
  return `S#${encodeId(sessionId)}`;
}

/** The prefix of every item that belongs to a session (messages and idempotency items of every generation). */
export function sessionItemsPrefix(sessionId: string): string {
  return `S#${encodeId(sessionId)}#`;
}

/** The prefix of every message key of one incarnation of a session. */
export function messagePrefix(sessionId: string, gen: string): string {
  return `S#${encodeId(sessionId)}#${newestFirst(gen) ? 'A' : 'M'}#${gen}#`;
}

/** The sort key of a message (`seq` from 0 to `Number.MAX_SAFE_INTEGER`). */
export function messageSk(sessionId: string, gen: string, seq: number): string {
  return messagePrefix(sessionId, gen) + padSeq(newestFirst(gen) ? Number.MAX_SAFE_INTEGER - seq : seq);
}

/**
 * The key bounds of an incarnation's messages with seqs in `[from, to]`, and the direction
 * (`ScanIndexForward`) that returns them oldest first.
 */
export function messageSkRange(sessionId: string, gen: string, from: number, to: number): { lo: string; hi: string; oldestFirstForward: boolean } {
  return newestFirst(gen)
    ? { lo: messageSk(sessionId, gen, to), hi: messageSk(sessionId, gen, from), oldestFirstForward: false }
    : { lo: messageSk(sessionId, gen, from), hi: messageSk(sessionId, gen, to), oldestFirstForward: true };
}

/**
 * The key bounds of a session's head: its session item, then (in this layout) its messages
 * newest first. Other items fall in between only rarely: items of another incarnation, or of a
 * session whose id extends this one with a character that sorts before `#`.
 */
export function sessionHeadRange(sessionId: string): { lo: string; hi: string } {
  const sk = sessionSk(sessionId);
  // '$' follows '#': above every key that starts with `<sk>#A#`.
  return { lo: sk, hi: `${sk}#A$` };
}

/** The sort key of an idempotency item. */
export function idempotencySk(sessionId: string, gen: string, key: string): string {
  return `S#${encodeId(sessionId)}#I#${gen}#${encodeId(key)}`;
}

/** Zero-pads a seq so that string order is numeric order. */
export function padSeq(seq: number): string {
  return String(seq).padStart(SEQ_WIDTH, '0');
}

/** The seq in a message sort key, of either layout. */
export function seqOfMessageSk(sk: string): number {
  const digits = Number(sk.slice(sk.length - SEQ_WIDTH));
  // S#<session>#<A|M>#<gen>#<digits>: encoded ids hold no '#'.
  return sk.split('#')[2] === 'A' ? Number.MAX_SAFE_INTEGER - digits : digits;
}

/** The listing index's partition key (same as the table's). */
export function listPk(userId: string): string {
  return userPk(userId);
}

/** The listing index's sort key: `updatedAt` zero-padded, then the encoded session id. */
export function listSk(updatedAt: number, sessionId: string): string {
  return `${String(updatedAt).padStart(TIME_WIDTH, '0')}#${encodeId(sessionId)}`;
}

/** The smallest index sort key above every entry with `updatedAt` at most `updatedAt`. */
export function listSkAbove(updatedAt: number): string {
  return String(updatedAt + 1).padStart(TIME_WIDTH, '0');
}
