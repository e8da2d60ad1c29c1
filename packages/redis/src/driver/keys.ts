/**
 * The key layout. Every key of one user carries the same hash tag, `{<encoded user id>}`, so
 * every script touches one Redis Cluster slot:
 *
 * ```text
 * <prefix>{<user>}:s:<session>   hash        the session record and its metadata
 * <prefix>{<user>}:m:<session>   sorted set  the messages: score = seq, member = <seq>:<createdAt>:<stored text>
 * <prefix>{<user>}:k:<session>   hash        applied idempotency keys → "firstSeq:lastSeq[:removed]"
 * <prefix>{<user>}:i             sorted set  the user's listing index: session ids scored by -updatedAt
 * <prefix>{<user>}:w:<session>   channel     (pub/sub, not a key) every write to the session is announced here
 * ```
 *
 * `<user>` is the base64url of the user id's UTF-8 bytes and `<session>` the hex of the session
 * id's UTF-16 code units: neither can hold `{`, `}`, `:`, a glob character or a space, so no id
 * can break a key, reach another user's keys or match a pattern. The session encoding also
 * sorts byte-wise exactly as JavaScript's `<` sorts the ids, which the listing order needs.
 */

/** Hex of the UTF-16 code units of `id`, big-endian, 4 digits per unit: order-preserving and key-safe. */
export function encodeSessionId(id: string): string {
  return Buffer.from(id, 'utf16le').swap16().toString('hex');
}

/** The inverse of {@link encodeSessionId}. */
export function decodeSessionId(encoded: string): string {
  return Buffer.from(encoded, 'hex').swap16().toString('utf16le');
}

/** base64url of the UTF-8 of a user id: the hash tag of every key of that user. */
export function encodeUserId(userId: string): string {
  return Buffer.from(userId, 'utf8').toString('base64url');
}

/** The inverse of {@link encodeUserId}. */
export function decodeUserId(encoded: string): string {
  return Buffer.from(encoded, 'base64url').toString('utf8');
}

/** The keys of one session, in the order the scripts take them. */
export interface SessionKeys {
  /** The session record (hash). */
  readonly record: string;
  /** The messages (sorted set). */
  readonly messages: string;
  /** The idempotency keys (hash). */
  readonly idempotency: string;
  /** The user's listing index (sorted set). */
  readonly index: string;
  /** The encoded session id, as it appears in keys and as the index member. */
  readonly encodedId: string;
  /** record, messages, idempotency, index: the KEYS of the session scripts. */
  readonly list: readonly string[];
}

/**
 * How many sessions' keys a {@link KeySpace} remembers. Encoding the ids (two Buffer
 * conversions) and building the keys was the driver's largest cost per append on the client
 * (about 1.5 µs of the ~25 µs a 1 KB append costs the client): a process mostly writes the
 * sessions it wrote a moment ago. Past this many, the memory is dropped and starts again.
 */
const REMEMBERED_SESSIONS = 4096;

/** Builds the keys of a store's key prefix. */
export class KeySpace {
  /** Keys by user id, then session id (nested, so no separator can make two pairs collide). */
  private readonly remembered = new Map<string, Map<string, SessionKeys>>();
  private rememberedCount = 0;

  constructor(readonly prefix: string) {}

  /** `<prefix>{<user>}`: what every key of the user starts with. */
  userBase(userId: string): string {
    return `${this.prefix}{${encodeUserId(userId)}}`;
  }

  /** The user's listing index. */
  index(userId: string): string {
    return `${this.userBase(userId)}:i`;
  }

  /** Every key of one session (the same frozen object for the same ids, while remembered). */
  session(userId: string, sessionId: string): SessionKeys {
    let sessions = this.remembered.get(userId);
    const known = sessions?.get(sessionId);
    if (known) return known;
    const base = this.userBase(userId);
    const encodedId = encodeSessionId(sessionId);
    const record = `${base}:s:${encodedId}`;
    const messages = `${base}:m:${encodedId}`;
    const idempotency = `${base}:k:${encodedId}`;
    const index = `${base}:i`;
    const keys: SessionKeys = Object.freeze({ record, messages, idempotency, index, encodedId, list: Object.freeze([record, messages, idempotency, index]) });
    if (this.rememberedCount >= REMEMBERED_SESSIONS) {
      this.remembered.clear();
      this.rememberedCount = 0;
      sessions = undefined;
    }
    if (!sessions) this.remembered.set(userId, (sessions = new Map()));
    sessions.set(sessionId, keys);
    this.rememberedCount++;
    return keys;
  }

  /**
   * The pub/sub channel a session's writes are announced on: `<prefix>{<user>}:w:<session>`.
   * Channels are not keys (nothing is stored under this name); it carries the user's hash tag so
   * that on a cluster its sharded channel lives on the node of the session's slot.
   */
  channel(userId: string, sessionId: string): string {
    return `${this.userBase(userId)}:w:${encodeSessionId(sessionId)}`;
  }

  /** A SCAN pattern matching every listing index of this prefix (glob characters of the prefix escaped). */
  indexPattern(): string {
    return `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}{*}:i`;
  }

  /** The user id of an index key found by {@link indexPattern}, or `null` if the key is not one of ours. */
  userOfIndexKey(key: string): string | null {
    if (!key.startsWith(`${this.prefix}{`) || !key.endsWith('}:i')) return null;
    const encoded = key.slice(this.prefix.length + 1, -3);
    return /^[A-Za-z0-9_-]*$/.test(encoded) ? decodeUserId(encoded) : null;
  }
}

/** A session's keys in the order the session scripts take them: record, messages, idempotency, index. */
export function sessionKeyList(k: SessionKeys): readonly string[] {
  return k.list;
}
