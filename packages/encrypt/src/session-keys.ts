import { createHmac, hkdfSync, type KeyObject } from 'node:crypto';
import type { Keyring } from './keyring.js';

/** The version label every derived key and associated data carries (domain separation). */
export const SCHEME = 'sessions.encrypt.v1';

/** What one session needs to seal or open a message: its derived key and its associated data. */
export interface SessionKey {
  /** The id of the master key it was derived from (written into each envelope). */
  keyId: string;
  /** The 256-bit AEAD key of this (master key, user, session). */
  key: Buffer;
  /** Associated data binding a message ciphertext to its user and session. */
  messageAad: Buffer;
  /** `key` as node:crypto's `KeyObject`, made on first use by a node:crypto AEAD and kept here. */
  keyObject?: KeyObject;
}

/**
 * Derives per-session keys with HKDF-SHA256 from a master key, salted with the user and
 * session ids, and keeps the newest ones in a bounded LRU so the per-message cost is one
 * AEAD operation. One leaked session key opens no other session.
 */
export class SessionKeys {
  // A Map iterates in insertion order: re-inserting on a hit makes the first entry the least
  // recently used one.
  private readonly cache = new Map<string, SessionKey>();
  /** Derived on first use from the keyring's `hmacKeyId` key. */
  private hmacKey: Buffer | undefined;

  constructor(
    private readonly keyring: Keyring,
    private readonly capacity: number,
  ) {}

  /** The key of `keyId` for this session, or `undefined` when the keyring does not hold that id. */
  get(keyId: string, userId: string, sessionId: string): SessionKey | undefined {
    const ids = JSON.stringify([userId, sessionId]);
    const cacheKey = keyId + '\n' + ids;
    const hit = this.cache.get(cacheKey);
    if (hit) {
      this.cache.delete(cacheKey);
      this.cache.set(cacheKey, hit);
      return hit;
    }
    const master = this.keyring.get(keyId);
    if (!master) return undefined;
    // The ids are JSON-encoded so that ("a", "b:c") and ("a:b", "c") never share a salt.
    const salt = Buffer.from(ids, 'utf8');
    const key = Buffer.from(hkdfSync('sha256', master, salt, `${SCHEME} session key`, 32));
    const entry: SessionKey = { keyId, key, messageAad: associatedData('message', userId, sessionId) };
    this.cache.set(cacheKey, entry);
    if (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return entry;
  }

  /** The key new data of this session is sealed with (the keyring's current key). */
  current(userId: string, sessionId: string): SessionKey {
    // The current key is always in the keyring (checked at construction).
    return this.get(this.keyring.currentKeyId, userId, sessionId)!;
  }

  /** The id of the keyring's current key. */
  get currentKeyId(): string {
    return this.keyring.currentKeyId;
  }

  /**
   * The stored form of a caller's idempotency key: `h1:` and the base64url HMAC-SHA256 of
   * (user, session, key) under a key derived from the keyring's `hmacKeyId` key. The key is
   * never stored in clear; the same key in two sessions gives unrelated values.
   */
  idempotencyKey(key: string, userId: string, sessionId: string): string {
    this.hmacKey ??= Buffer.from(hkdfSync('sha256', this.keyring.get(this.keyring.hmacKeyId)!, Buffer.alloc(0), `${SCHEME} idempotency key`, 32));
    return 'h1:' + createHmac('sha256', this.hmacKey).update(JSON.stringify([userId, sessionId, key])).digest('base64url');
  }
}

/**
 * The associated data of one ciphertext: what it is (`message`, or `metadata` plus the key
 * name) and whose it is. A ciphertext moved to another session, user or metadata key fails to open.
 */
export function associatedData(purpose: 'message' | 'metadata', userId: string, sessionId: string, field?: string): Buffer {
  const parts = field === undefined ? [SCHEME, purpose, userId, sessionId] : [SCHEME, purpose, userId, sessionId, field];
  return Buffer.from(JSON.stringify(parts), 'utf8');
}
