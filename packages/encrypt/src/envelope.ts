import { isPlainObject } from '@sessions/core';
import { MIN_BODY_CHARS, NONCE_BYTES, TAG_BYTES } from './cipher/aead.js';
import type { Ciphers } from './cipher/select.js';
import type { SessionKey } from './session-keys.js';

/**
 * The newest envelope format this package writes: 3 (ChaCha20-Poly1305, written when
 * `sodium-native` is loaded). Without it, new envelopes are format 2 (AES-256-GCM). Every
 * format (1, 2, 3) is read by every process, with or without `sodium-native`.
 */
export const ENVELOPE_VERSION = 3;

/**
 * An opened-up envelope: the id of the master key its session key was derived from, and its
 * body (the base64url text of a 96-bit nonce, the ciphertext and a 16-byte tag).
 */
export interface Envelope {
  keyId: string;
  /** Nonce, ciphertext and tag, base64url. */
  body: string;
  /**
   * The format it was read from: 1 (the JSON object `{v,kid,n,ct}` of the first release, AES-256-GCM),
   * 2 (`"~2~kid~..."`, AES-256-GCM) or 3 (`"~3~kid~..."`, ChaCha20-Poly1305).
   */
  version: 1 | 2 | 3;
}

/** Why an envelope could not be read or opened (no plaintext or key material in the message). */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

const QUOTE = 0x22;
const TILDE = 0x7e;
const DIGIT_2 = 0x32;
const DIGIT_3 = 0x33;

/**
 * Seals and opens stored texts with a codec's AEADs. A format-2 or format-3 envelope is a JSON
 * string (valid JSON for every backend, a `jsonb` column included),
 * `"~<format>~<key id>~<base64url of nonce, ciphertext and tag>"`: no JSON object around the
 * ciphertext, so reading one is a slice and a base64 decode. Base64 stays: the store hands a
 * codec's output to backends as JSON text (PostgreSQL keeps it in a `json` column), and base64
 * is the binary-to-text encoding Node decodes natively (denser ones would be decoded in JS).
 */
export class Envelopes {
  constructor(private readonly ciphers: Ciphers) {}

  /** Encrypts `plaintext` (UTF-8 text) under `key` with a fresh random nonce, bound to `aad`: the stored text. */
  seal(plaintext: string, key: SessionKey, aad: Buffer): string {
    const writer = this.ciphers.writer;
    return `"~${writer.format}~${key.keyId}~${writer.seal(plaintext, key, aad)}"`;
  }

  /** Decrypts an envelope with `key` and `aad`; throws {@link EnvelopeError} when it is tampered, truncated or for other data. */
  open(envelope: Envelope, key: SessionKey, aad: Buffer): string {
    const aead = envelope.version === 3 ? this.ciphers.chaCha : this.ciphers.aesGcm;
    try {
      return aead.open(envelope.body, key, aad);
    } catch (cause) {
      throw new EnvelopeError('authentication failed: the ciphertext was changed, or belongs to another session, user or key', { cause });
    }
  }
}

/** Reads a stored text (any format); throws {@link EnvelopeError} when it is not an envelope. */
export function readEnvelope(text: string): Envelope {
  if (text.charCodeAt(0) === QUOTE && text.charCodeAt(1) === TILDE && text.charCodeAt(3) === TILDE) {
    const digit = text.charCodeAt(2);
    if (digit === DIGIT_2 || digit === DIGIT_3) {
      const separator = text.indexOf('~', 4);
      if (separator < 0 || text.charCodeAt(text.length - 1) !== QUOTE) throw new EnvelopeError('the envelope is truncated');
      // Decoded by the AEAD, into its scratch buffer: here only the length is checked.
      if (text.length - separator - 2 < MIN_BODY_CHARS) throw new EnvelopeError('the envelope is truncated');
      return { keyId: text.slice(4, separator), body: text.slice(separator + 1, -1), version: digit === DIGIT_3 ? 3 : 2 };
    }
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
 * Reads a metadata value: a format-2 or format-3 string, or a format-1 object `{ v: 1, kid, n, ct }`.
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
  return { keyId: kid, body: Buffer.concat([nonce, sealed]).toString('base64url'), version: 1 };
}

/**
 * Whether rotation rewrites an envelope: under another key than the current one, or in format 1.
 * Formats 2 and 3 are both current: which one a process writes depends on whether it has
 * `sodium-native`, and a rotation must not churn between them.
 */
export function isStale(envelope: Envelope, currentKeyId: string): boolean {
  return envelope.version === 1 || envelope.keyId !== currentKeyId;
}
