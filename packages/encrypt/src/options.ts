import type { Clock, JsonObject, StandardSchemaV1 } from '@sessions/core';
import type { DecryptErrorPolicy } from './codec.js';
import type { Keyring, MasterKey } from './keyring.js';

/** Options of {@link encryptStore}. */
export interface EncryptStoreOptions<M extends JsonObject = JsonObject> {
  /**
   * The master keys by id (32 random bytes each, as bytes or base64), or a ready {@link Keyring}.
   * Keep every key that may still have encrypted stored data; new data uses `currentKeyId`.
   */
  keys: Record<string, MasterKey> | Keyring;
  /** The id of the key new data is encrypted with. Required unless `keys` is a {@link Keyring}. */
  currentKeyId?: string;
  /**
   * Encrypt session metadata values too (each value separately; key names stay visible, so
   * `updateSession` keeps its atomic shallow merge).
   * @default false
   */
  encryptMetadata?: boolean;
  /** Metadata keys left in plaintext when `encryptMetadata` is on, so they can still be inspected or queried. @default [] */
  plaintextMetadataKeys?: readonly string[];
  /**
   * What reads do with data that cannot be decrypted (tampered, or under a key the keyring lacks):
   * `"throw"` a `DECRYPT_FAILED` error, or `"skip"` it (leave the message or metadata key out).
   * `"skip"` is meant for recovery tools; it hides data loss.
   * @default "throw"
   */
  onDecryptError?: DecryptErrorPolicy;
  /**
   * Message time to live in ms: messages appended longer ago are hidden from every read and
   * removed by {@link EncryptedSessionStore.purgeExpiredMessages}. Unset: messages live as long as their session.
   */
  messageTtlMs?: number;
  /** Largest plaintext message, in bytes of JSON (the inner store's own limit applies to the envelope). @default 262144 */
  maxMessageBytes?: number;
  /** A Standard Schema every appended message must satisfy (checked before encryption). */
  messageSchema?: StandardSchemaV1<unknown, M>;
  /** The clock for message TTL and fork timestamps; pass the inner store's clock if it has a custom one. @default Date.now */
  clock?: Clock;
  /** How many derived session keys to keep in memory. @default 10000 */
  keyCacheSize?: number;
}
