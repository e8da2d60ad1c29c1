/**
 * The key layout. Every key of one user carries the same hash tag, `{<encoded user id>}`, so
 * every script touches one Redis Cluster slot:
 *
 * ```text
 * <prefix>{<user>}:s:<session>   hash        the session record and its metadata
 * <prefix>{<user>}:m:<session>   sorted set  the messages, scored by seq
 * <prefix>{<user>}:k:<session>   hash        applied idempotency keys → "firstSeq:lastSeq"
 * <prefix>{<user>}:i             sorted set  the user's listing index (see {@link indexMember})
 * ```
 *
 * `<user>` is the base64url of the user id's UTF-8 bytes and `<session>` the hex of the session
 * id's UTF-16 code units: neither can hold `{`, `}`, `:`, a glob character or a space, so no id
 * can break a key, reach another user's keys or match a pattern. The session encoding also
 * sorts byte-wise exactly as JavaScript's `<` sorts the ids, which the listing order needs.
 */

/** The default `keyPrefix`. */
export const DEFAULT_KEY_PREFIX = 'sessions:';

/** Width of the inverted-timestamp part of an index member. */
const RANK_WIDTH = 16;
/** Inverted timestamps count down from here, so newer sorts first. The Lua scripts use the same value. */
export const RANK_BASE = 9007199254740991;

/** Hex of the UTF-16 code units of `id`, 4 digits per unit: order-preserving and key-safe. */
export function encodeSessionId(id: string): string {
  let out = '';
  for (let i = 0; i < id.length; i++) out += id.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
}

/** The inverse of {@link encodeSessionId}. */
export function decodeSessionId(encoded: string): string {
  const units: number[] = [];
  for (let i = 0; i < encoded.length; i += 4) units.push(parseInt(encoded.slice(i, i + 4), 16));
  let out = '';
  // Chunked so a long id never overflows the argument limit of fromCharCode.
  for (let i = 0; i < units.length; i += 1024) out += String.fromCharCode(...units.slice(i, i + 1024));
  return out;
}

/** base64url of the UTF-8 of a user id: the hash tag of every key of that user. */
export function encodeUserId(userId: string): string {
  return Buffer.from(userId, 'utf8').toString('base64url');
}

/** The inverse of {@link encodeUserId}. */
export function decodeUserId(encoded: string): string {
  return Buffer.from(encoded, 'base64url').toString('utf8');
}

/**
 * A member of the listing index: `<16-digit RANK_BASE - updatedAt>:<encoded session id>`. All
 * members have score 0, so the set sorts by member bytes: newest `updatedAt` first, then id
 * ascending, and a keyset page is one `ZRANGE ... BYLEX` from the cursor's member.
 */
export function indexMember(updatedAt: number, encodedSessionId: string): string {
  return `${String(RANK_BASE - updatedAt).padStart(RANK_WIDTH, '0')}:${encodedSessionId}`;
}

/** The keys of one session, in the order the scripts take them. */
export interface SessionKeys {
  /** The session record (hash). */
  record: string;
  /** The messages (sorted set). */
  messages: string;
  /** The idempotency keys (hash). */
  idempotency: string;
  /** The user's listing index (sorted set). */
  index: string;
  /** The encoded session id, as it appears in keys and index members. */
  encodedId: string;
}

/** Builds the keys of a store's key prefix. */
export class KeySpace {
  constructor(readonly prefix: string) {}

  /** `<prefix>{<user>}`: what every key of the user starts with. */
  userBase(userId: string): string {
    return `${this.prefix}{${encodeUserId(userId)}}`;
  }

  /** The user's listing index. */
  index(userId: string): string {
    return `${this.userBase(userId)}:i`;
  }

  /** Every key of one session. */
  session(userId: string, sessionId: string): SessionKeys {
    const base = this.userBase(userId);
    const encodedId = encodeSessionId(sessionId);
    return {
      record: `${base}:s:${encodedId}`,
      messages: `${base}:m:${encodedId}`,
      idempotency: `${base}:k:${encodedId}`,
      index: `${base}:i`,
      encodedId,
    };
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
