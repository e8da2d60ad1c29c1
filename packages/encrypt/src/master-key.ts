import { createHash } from 'node:crypto';
import { storeErrors } from '@sessions/core';

/** A master key: 32 random bytes, as bytes or as their base64, base64url or hex text. */
export type MasterKey = Uint8Array | string;

/** Length of a master key, in bytes (256 bits). */
export const MASTER_KEY_BYTES = 32;

const errors = storeErrors('encrypt');
const HOW_TO_MAKE = 'generate one with `openssl rand -base64 32` (or generateMasterKey())';
const HEX = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
// Fewer distinct byte values than this in 32 bytes is a pattern, not randomness: 32 random bytes
// hold about 30 distinct values, and fewer than 16 happens with probability below 1e-9.
const MIN_DISTINCT_BYTES = 16;

/**
 * Decodes and checks one master key: exactly 32 bytes, given as bytes, hex (64 digits) or
 * canonical base64 / base64url, that look random. A passphrase is refused, whether given as is
 * or encoded: decoded bytes that are all printable ASCII, or that repeat a few values, or a text
 * of one character class. The error names the key's id, never the key.
 */
export function parseMasterKey(id: string, key: MasterKey): Buffer {
  const bytes = decode(id, key);
  if (bytes.length !== MASTER_KEY_BYTES) {
    throw errors.invalid(`key ${JSON.stringify(id)} is ${bytes.length} bytes; a master key is exactly ${MASTER_KEY_BYTES} random bytes: ${HOW_TO_MAKE}`);
  }
  if (looksLikePassphrase(bytes) || (typeof key === 'string' && oneCharacterClass(key.trim()))) {
    throw errors.invalid(`key ${JSON.stringify(id)} looks like a passphrase or a pattern, not 32 random bytes; a key must come from a random generator: ${HOW_TO_MAKE}`);
  }
  return bytes;
}

/**
 * The id a key gets when it is given without one (the CLI's bare `--encrypt-key <key>`):
 * `k` and 8 hex digits of the SHA-256 of its standard base64 text. Data written under a bare key
 * carries this id, so the same key given later under any id (`2026-01:<key>`) still opens it.
 */
export function fingerprintKeyId(key: Uint8Array): string {
  return fingerprintOfText(Buffer.from(key).toString('base64'));
}

/** The fingerprint id of a key's text exactly as given (what the CLI hashed when the text was not canonical base64). */
export function fingerprintOfText(text: string): string {
  return `k${createHash('sha256').update(text).digest('hex').slice(0, 8)}`;
}

function decode(id: string, key: MasterKey): Buffer {
  if (key instanceof Uint8Array) return Buffer.from(key);
  if (typeof key !== 'string') {
    throw errors.invalid(`key ${JSON.stringify(id)} must be a Uint8Array/Buffer or a base64 or hex string, got ${key === null ? 'null' : typeof key}`);
  }
  const text = key.trim();
  if (HEX.test(text)) return Buffer.from(text, 'hex');
  const encoding = BASE64.test(text) ? 'base64' : BASE64URL.test(text) ? 'base64url' : undefined;
  if (!encoding) throw errors.invalid(`key ${JSON.stringify(id)} is neither base64 nor hex; pass 32 random bytes or their base64: ${HOW_TO_MAKE}`);
  const bytes = Buffer.from(text, encoding);
  // Node decodes leniently (it stops at the first bad character): insist on the canonical text.
  if (bytes.toString(encoding).replace(/=+$/, '') !== text.replace(/=+$/, '')) {
    throw errors.invalid(`key ${JSON.stringify(id)} is not well-formed ${encoding}; pass 32 random bytes or their base64: ${HOW_TO_MAKE}`);
  }
  return bytes;
}

function looksLikePassphrase(bytes: Buffer): boolean {
  // 32 random bytes are all printable ASCII with probability (95/256)^32, about 2e-14.
  const printable = bytes.every((byte) => byte >= 0x20 && byte <= 0x7e);
  return printable || new Set(bytes).size < MIN_DISTINCT_BYTES;
}

/** A base64 text of only lower-case letters, only upper-case letters or only digits and symbols: typed, not generated. */
function oneCharacterClass(text: string): boolean {
  const body = text.replace(/=+$/, '');
  if (HEX.test(body)) return false;
  return /^[a-z]+$/.test(body) || /^[A-Z]+$/.test(body) || /^[0-9+/_-]+$/.test(body);
}
