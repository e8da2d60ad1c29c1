import type { Clock } from '@sessions/core';
import type { BindingChoice } from './cipher/select.js';
import type { Keyring } from './keyring.js';
import type { MasterKey } from './master-key.js';

/** What reads do with data that cannot be decrypted. */
export type DecryptErrorPolicy = 'throw' | 'skip';

/**
 * Options of {@link encryption} (and {@link encryptStore}). Size limits, the message schema and
 * the store's clock are the store's options: the store validates each message once, on its
 * plaintext, before this codec encrypts it.
 */
export interface EncryptionOptions {
  /**
   * The master keys by id (32 random bytes each: bytes, or their base64, base64url or hex text),
   * or a ready {@link Keyring}. Keep every key that may still have encrypted stored data; new data
   * uses `currentKeyId`. Make a key with `openssl rand -base64 32`.
   */
  keys: Record<string, MasterKey> | Keyring;
  /** The id of the key new data is encrypted with. Required unless `keys` is a {@link Keyring}. */
  currentKeyId?: string;
  /**
   * The id of the key whose derived key hashes idempotency keys (they are stored as an HMAC, never
   * in clear). A retry is recognised only while this names the same key: keep it through
   * rotations; changing it means retries of appends made before the change are applied again.
   * @default the first id of `keys` (list keys oldest first and add new ones at the end)
   */
  hmacKeyId?: string;
  /**
   * Encrypt session metadata values too (each value separately; key names stay visible, so
   * `updateSession` keeps its atomic shallow merge). `forkedFrom`, written by the store on a
   * fork, stays in plaintext.
   * @default false
   */
  encryptMetadata?: boolean;
  /** Metadata keys left in plaintext when `encryptMetadata` is on, so they can still be inspected or queried. @default [] */
  plaintextMetadataKeys?: readonly string[];
  /**
   * What reads do with data that cannot be decrypted (tampered, under a key the keyring lacks,
   * not an envelope at all): `"throw"` a `DECRYPT_FAILED` error, or `"skip"` it (leave the message
   * or metadata key out). `"skip"` is meant for recovery tools; it hides data loss.
   * @default "throw"
   */
  onDecryptError?: DecryptErrorPolicy;
  /**
   * Message time to live in ms: messages stored longer ago are hidden from every read (before
   * they are decrypted) and removed by `purgeExpiredMessages`. Unset: messages live as long as
   * their session.
   * @default undefined
   */
  messageTtlMs?: number;
  /** The clock of the message TTL: pass the store's clock when it has a custom one. @default Date.now */
  clock?: Clock;
  /** How many derived session keys to keep in memory. @default 10000 */
  keyCacheSize?: number;
  /**
   * Which implementation encrypts new data. `"auto"`: `sodium-native` (ChaCha20-Poly1305, envelope
   * format 3, about half the CPU per message) when that optional peer dependency is installed and
   * loads, else `node:crypto` (AES-256-GCM, format 2). `"sodium-native"`: refuse to start without
   * it (`INVALID_ARGUMENT`). `"node:crypto"`: never load it. Reads open every format whatever
   * this says (format 3 through `node:crypto`'s ChaCha20-Poly1305 when `sodium-native` is absent).
   * @default "auto"
   */
  binding?: BindingChoice;
}
