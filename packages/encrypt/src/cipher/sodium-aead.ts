import { createRequire } from 'node:module';
import type { SessionKey } from '../session-keys.js';
import { NONCE_BYTES, TAG_BYTES, type Aead } from './aead.js';
import { writeNonce } from './nonce.js';
import { base64urlBytes, outputScratch, utf8Bytes } from './scratch.js';

/** The two functions of `sodium-native` this package calls (its IETF ChaCha20-Poly1305, RFC 8439). */
export interface SodiumNative {
  crypto_aead_chacha20poly1305_ietf_encrypt(c: Uint8Array, m: Uint8Array, ad: Uint8Array | null, nsec: null, npub: Uint8Array, k: Uint8Array): number;
  crypto_aead_chacha20poly1305_ietf_decrypt(m: Uint8Array, nsec: null, c: Uint8Array, ad: Uint8Array | null, npub: Uint8Array, k: Uint8Array): number;
}

let loaded: SodiumNative | null | undefined;

/**
 * `sodium-native` (an optional peer dependency: prebuilt libsodium binaries in its npm package),
 * or `undefined` when it is not installed or does not load on this platform. Loaded once.
 */
export function loadSodium(): SodiumNative | undefined {
  if (loaded === undefined) {
    loaded = null;
    try {
      // A CommonJS native addon: require() is how it loads from an ES module.
      const candidate: unknown = createRequire(import.meta.url)('sodium-native');
      if (isSodium(candidate)) loaded = candidate;
    } catch {
      // Not installed, or no prebuilt binary for this platform: node:crypto serves instead.
    }
  }
  return loaded ?? undefined;
}

function isSodium(value: unknown): value is SodiumNative {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof SodiumNative, unknown>>;
  return typeof candidate.crypto_aead_chacha20poly1305_ietf_encrypt === 'function' && typeof candidate.crypto_aead_chacha20poly1305_ietf_decrypt === 'function';
}

/**
 * IETF ChaCha20-Poly1305 through libsodium (format 3): one call into C per message, no cipher
 * object, so about half the CPU of an AES-256-GCM message through `node:crypto`. The bytes are
 * exactly what `node:crypto`'s `chacha20-poly1305` reads and writes, so a process without
 * `sodium-native` reads them too.
 */
export class SodiumAead implements Aead {
  readonly format = 3;

  constructor(private readonly sodium: SodiumNative) {}

  seal(plaintext: string, key: SessionKey, aad: Buffer): string {
    const message = utf8Bytes(plaintext);
    const packedBytes = NONCE_BYTES + message.length + TAG_BYTES;
    const packed = outputScratch(packedBytes);
    writeNonce(packed);
    this.sodium.crypto_aead_chacha20poly1305_ietf_encrypt(packed.subarray(NONCE_BYTES, packedBytes), message, aad, null, packed.subarray(0, NONCE_BYTES), key.key);
    return packed.toString('base64url', 0, packedBytes);
  }

  open(body: string, key: SessionKey, aad: Buffer): string {
    const packed = base64urlBytes(body);
    const messageBytes = packed.length - NONCE_BYTES - TAG_BYTES;
    if (messageBytes < 0) throw new RangeError('the envelope is truncated');
    const message = outputScratch(messageBytes);
    // Throws when the tag does not verify; nothing is decrypted then.
    this.sodium.crypto_aead_chacha20poly1305_ietf_decrypt(message.subarray(0, messageBytes), null, packed.subarray(NONCE_BYTES), aad, packed.subarray(0, NONCE_BYTES), key.key);
    return message.toString('utf8', 0, messageBytes);
  }
}
