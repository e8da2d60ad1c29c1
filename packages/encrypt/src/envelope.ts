import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { isPlainObject } from '@sessions/core';

/** The envelope format version this package writes. */
export const ENVELOPE_VERSION = 2;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/**
 * Start of a version-2 envelope: the stored text is a JSON string (valid JSON for every backend,
 * a `jsonb` column included) `"~2~<key id>~<base64url of nonce, ciphertext and tag>"`. No JSON
 * object around the ciphertext: reading one is a slice and a base64 decode.
 */
const V2_PREFIX = '"~2~';

/**
 * An opened-up envelope: the id of the master key its session key was derived from, the 96-bit
 * nonce and the AES-256-GCM ciphertext followed by its 16-byte tag.
 */
export interface Envelope {
  keyId: string;
  nonce: Buffer;
  /** Ciphertext and tag. */
  sealed: Buffer;
  /** The format it was read from: 1 (the JSON object `{v,kid,n,ct}` of the first release) or 2. */
  version: 1 | 2;
}

/** Why an envelope could not be read or opened (no plaintext or key material in the message). */
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
  const nonce = NONCE_POOL.subarray(poolOffset, poolOffset + NONCE_BYTES);
  poolOffset += NONCE_BYTES;
  return nonce;
}

/** Encrypts `plaintext` (UTF-8 text) under `key` with a fresh random nonce, bound to `aad`: the stored text (format 2). */
export function seal(plaintext: string, keyId: string, key: Buffer, aad: Buffer): string {
  const nonce = freshNonce();
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = cipher.update(plaintext, 'utf8');
  const tail = cipher.final();
  // The nonce is copied here, before the pool is refilled.
  const packed = Buffer.concat([nonce, body, tail, cipher.getAuthTag()]);
  return `${V2_PREFIX}${keyId}~${packed.toString('base64url')}"`;
}

/** Reads a stored text (either format); throws {@link EnvelopeError} when it is not an envelope. */
export function readEnvelope(text: string): Envelope {
  if (text.startsWith(V2_PREFIX)) {
    const separator = text.indexOf('~', V2_PREFIX.length);
    if (separator < 0 || !text.endsWith('"')) throw new EnvelopeError('the envelope is truncated');
    const packed = Buffer.from(text.slice(separator + 1, -1), 'base64url');
    if (packed.length < NONCE_BYTES + TAG_BYTES) throw new EnvelopeError('the envelope is truncated');
    return { keyId: text.slice(V2_PREFIX.length, separator), nonce: packed.subarray(0, NONCE_BYTES), sealed: packed.subarray(NONCE_BYTES), version: 2 };
  }
  let value: unknown;
  try {
    value = text.startsWith('{') ? JSON.parse(text) : undefined;
  } catch {
    throw new EnvelopeError('the stored value is not an encryption envelope');
  }
  return envelopeOfValue(value);
}

/**
 * Reads a metadata value: a format-2 string, or a format-1 object `{ v: 1, kid, n, ct }`.
 * Throws {@link EnvelopeError} for anything else (`null`, a plaintext value).
 */
export function envelopeOfValue(value: unknown): Envelope {
  if (typeof value === 'string') return readEnvelope(JSON.stringify(value));
  if (!isPlainObject(value)) throw new EnvelopeError('the stored value is not an encryption envelope');
  const { v, kid, n, ct } = value;
  if (v !== 1) throw new EnvelopeError(`unsupported envelope version ${JSON.stringify(v)}`);
  if (typeof kid !== 'string' || typeof n !== 'string' || typeof ct !== 'string') throw new EnvelopeError('the envelope lacks kid, n or ct');
  const nonce = Buffer.from(n, 'base64');
  const sealed = Buffer.from(ct, 'base64');
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw new EnvelopeError('the envelope is truncated');
  return { keyId: kid, nonce, sealed, version: 1 };
}

/** Decrypts an envelope with `key` and `aad`; throws {@link EnvelopeError} when it is tampered, truncated or for other data. */
export function open(envelope: Envelope, key: Buffer, aad: Buffer): string {
  const { nonce, sealed } = envelope;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    // GCM checks the tag in final(): nothing decrypted is returned before it passed.
    const text = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES), undefined, 'utf8');
    return text + decipher.final('utf8');
  } catch (cause) {
    throw new EnvelopeError('authentication failed: the ciphertext was changed, or belongs to another session, user or key', { cause });
  }
}
