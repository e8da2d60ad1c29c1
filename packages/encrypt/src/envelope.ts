import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { isPlainObject } from '@sessions/core';

/** The envelope format version this package writes. */
export const ENVELOPE_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * What the inner store holds in place of a message (or a metadata value): a small JSON object
 * any backend stores as-is. `ct` is the AES-256-GCM ciphertext followed by its 16-byte tag.
 */
export interface Envelope {
  [key: string]: string | number;
  /** Format version. */
  v: number;
  /** Id of the master key the session key was derived from. */
  kid: string;
  /** The 96-bit nonce, base64. */
  n: string;
  /** Ciphertext and tag, base64. */
  ct: string;
}

/** Why an envelope could not be opened (no plaintext or key material in it). */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

// Nonces are cut from a pool of CSPRNG output refilled every 341 messages: one call into the
// generator per pool instead of one per message. Every nonce is a distinct slice, never reused.
const NONCE_POOL = Buffer.alloc(NONCE_BYTES * 341);
let poolOffset = NONCE_POOL.length;

function freshNonce(): Buffer {
  if (poolOffset + NONCE_BYTES > NONCE_POOL.length) {
    randomFillSync(NONCE_POOL);
    poolOffset = 0;
  }
  // A copy: the pool is overwritten on the next refill.
  const nonce = Buffer.from(NONCE_POOL.subarray(poolOffset, poolOffset + NONCE_BYTES));
  poolOffset += NONCE_BYTES;
  return nonce;
}

/** Encrypts `plaintext` (UTF-8 text) under `key` with a fresh random nonce, bound to `aad`. */
export function seal(plaintext: string, keyId: string, key: Buffer, aad: Buffer): Envelope {
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = cipher.update(plaintext, 'utf8');
  const tail = cipher.final();
  const ct = Buffer.concat([body, tail, cipher.getAuthTag()]);
  return { v: ENVELOPE_VERSION, kid: keyId, n: nonce.toString('base64'), ct: ct.toString('base64') };
}

/** Checks the shape of a stored value and returns it as an envelope; throws {@link EnvelopeError} otherwise. */
export function asEnvelope(value: unknown): Envelope {
  if (!isPlainObject(value)) throw new EnvelopeError('the stored value is not an encryption envelope');
  const { v, kid, n, ct } = value;
  if (v !== ENVELOPE_VERSION) throw new EnvelopeError(`unsupported envelope version ${JSON.stringify(v)}`);
  if (typeof kid !== 'string' || typeof n !== 'string' || typeof ct !== 'string') {
    throw new EnvelopeError('the envelope lacks kid, n or ct');
  }
  return value as Envelope;
}

/** Decrypts an envelope with `key` and `aad`; throws {@link EnvelopeError} when it is tampered, truncated or for other data. */
export function open(envelope: Envelope, key: Buffer, aad: Buffer): string {
  const nonce = Buffer.from(envelope.n, 'base64');
  const data = Buffer.from(envelope.ct, 'base64');
  if (nonce.length !== NONCE_BYTES || data.length < TAG_BYTES) throw new EnvelopeError('the envelope is truncated');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    // GCM checks the tag in final(): nothing decrypted is returned before it passed.
    const text = decipher.update(data.subarray(0, data.length - TAG_BYTES), undefined, 'utf8');
    return text + decipher.final('utf8');
  } catch (cause) {
    throw new EnvelopeError('authentication failed: the ciphertext was changed, or belongs to another session, user or key', { cause });
  }
}

/** Bytes of the stored envelope for a message of `plaintextBytes` bytes with a key id of `keyIdLength` characters. */
export function envelopeBytes(plaintextBytes: number, keyIdLength = 64): number {
  const base64 = (bytes: number) => Math.ceil(bytes / 3) * 4;
  return '{"v":1,"kid":"","n":"","ct":""}'.length + keyIdLength + base64(NONCE_BYTES) + base64(plaintextBytes + TAG_BYTES);
}
