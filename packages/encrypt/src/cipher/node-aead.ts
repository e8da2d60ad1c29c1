import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  getCiphers,
  type CipherChaCha20Poly1305,
  type CipherGCM,
  type DecipherChaCha20Poly1305,
  type DecipherGCM,
  type KeyObject,
} from 'node:crypto';
import type { SessionKey } from '../session-keys.js';
import { NONCE_BYTES, TAG_BYTES, type Aead } from './aead.js';
import { writeNonce } from './nonce.js';
import { base64urlBytes, outputScratch, utf8Bytes } from './scratch.js';

// The tag is always the last 16 bytes (TAG_BYTES), so a shorter tag can never be set.
type NodeAlgorithm = 'aes-256-gcm' | 'chacha20-poly1305';

/**
 * An AEAD through `node:crypto`: always available, but every message pays for a new cipher
 * object (`createCipheriv` / `createDecipheriv` and four calls into C++), which dominates the
 * cost of a 1 KB message. Kept lean: the key is a `KeyObject` made once per session key, output
 * stays in buffers (no string decoder), the packed bytes use the scratch buffers.
 */
export class NodeAead implements Aead {
  constructor(
    readonly format: 2 | 3,
    private readonly algorithm: NodeAlgorithm,
  ) {}

  seal(plaintext: string, key: SessionKey, aad: Buffer): string {
    const message = utf8Bytes(plaintext);
    const packedBytes = NONCE_BYTES + message.length + TAG_BYTES;
    const packed = outputScratch(packedBytes);
    writeNonce(packed);
    const cipher = this.cipher(keyObject(key), packed.subarray(0, NONCE_BYTES));
    cipher.setAAD(aad, { plaintextLength: message.length });
    cipher.update(message).copy(packed, NONCE_BYTES);
    // Both AEADs are stream modes: final() returns nothing, the ciphertext is as long as the plaintext.
    cipher.final();
    cipher.getAuthTag().copy(packed, NONCE_BYTES + message.length);
    return packed.toString('base64url', 0, packedBytes);
  }

  open(body: string, key: SessionKey, aad: Buffer): string {
    const packed = base64urlBytes(body);
    if (packed.length < NONCE_BYTES + TAG_BYTES) throw new RangeError('the envelope is truncated');
    const tagAt = packed.length - TAG_BYTES;
    const decipher = this.decipher(keyObject(key), packed.subarray(0, NONCE_BYTES));
    decipher.setAAD(aad, { plaintextLength: tagAt - NONCE_BYTES });
    decipher.setAuthTag(packed.subarray(tagAt));
    const plaintext = decipher.update(packed.subarray(NONCE_BYTES, tagAt));
    // The tag is checked in final(): nothing decrypted is returned before it passed.
    decipher.final();
    return plaintext.toString('utf8');
  }

  // One call per algorithm: node's typings pick the AEAD cipher type from the literal name.
  private cipher(key: KeyObject, nonce: Buffer): CipherGCM | CipherChaCha20Poly1305 {
    return this.algorithm === 'aes-256-gcm' ? createCipheriv('aes-256-gcm', key, nonce) : createCipheriv('chacha20-poly1305', key, nonce);
  }

  private decipher(key: KeyObject, nonce: Buffer): DecipherGCM | DecipherChaCha20Poly1305 {
    return this.algorithm === 'aes-256-gcm' ? createDecipheriv('aes-256-gcm', key, nonce) : createDecipheriv('chacha20-poly1305', key, nonce);
  }
}

/** The session key as a `KeyObject`, made on first use and kept with the session key. */
function keyObject(key: SessionKey): KeyObject {
  return (key.keyObject ??= createSecretKey(key.key));
}

/** Whether this Node's OpenSSL has ChaCha20-Poly1305 (a FIPS build may not). */
export function nodeHasChaCha(): boolean {
  return getCiphers().includes('chacha20-poly1305');
}
