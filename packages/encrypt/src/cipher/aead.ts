import type { SessionKey } from '../session-keys.js';

/** Which implementation seals and opens envelopes: see the `binding` option. */
export type CipherBinding = 'sodium-native' | 'node:crypto';

/** What a codec encrypts with: the algorithm, who implements it, and the envelope format it writes. */
export interface CipherInfo {
  /** The AEAD of new envelopes. */
  algorithm: 'chacha20-poly1305' | 'aes-256-gcm';
  /** The implementation in use (`sodium-native` when it loads, else `node:crypto`). */
  binding: CipherBinding;
  /** The envelope format new data is written in: 3 (ChaCha20-Poly1305) or 2 (AES-256-GCM). */
  format: 2 | 3;
}

/**
 * One AEAD behind one envelope format. Both halves work on the envelope's body: the base64url
 * text of a 96-bit nonce, the ciphertext, then a 16-byte tag.
 */
export interface Aead {
  /** The envelope format this AEAD's bodies belong to. */
  readonly format: 2 | 3;
  /** The body of `plaintext` (UTF-8) under a fresh random nonce, bound to `aad`. */
  seal(plaintext: string, key: SessionKey, aad: Buffer): string;
  /** The plaintext of a body; throws when it does not authenticate under `key` and `aad`. */
  open(body: string, key: SessionKey, aad: Buffer): string;
}

/** Nonce length of both formats' AEADs (AES-256-GCM and IETF ChaCha20-Poly1305), in bytes. */
export const NONCE_BYTES = 12;
/** Tag length of both formats' AEADs, in bytes. */
export const TAG_BYTES = 16;
/** The shortest body: a nonce and a tag (an empty plaintext), base64url without padding. */
export const MIN_BODY_CHARS = Math.ceil(((NONCE_BYTES + TAG_BYTES) * 4) / 3);
