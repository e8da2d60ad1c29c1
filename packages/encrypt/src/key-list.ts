import { storeErrors } from '@sessions/core';
import { fingerprintOfText } from './master-key.js';

const errors = storeErrors('encrypt');

/** A keyring written as one line of text, parsed by {@link parseKeyList}. */
export interface KeyList {
  keys: Record<string, string>;
  currentKeyId: string;
  hmacKeyId: string;
}

/**
 * Parses a keyring written as text (a command-line flag, an environment variable): one bare
 * key, or `id:key,id:key,...` with the current key FIRST and older keys after it. A bare key
 * gets its fingerprint id (`k` + 8 hex digits of the SHA-256 of its text), the id its data was
 * written under, so `new:<key2>,old:<key1>` reads data written with the bare `<key1>`. The
 * oldest key (the last one) hashes idempotency keys, so retries stay recognised across a rotation.
 */
export function parseKeyList(text: string): KeyList {
  const parts = String(text).split(',').map((part) => part.trim()).filter(Boolean);
  if (parts.length === 0) throw errors.invalid('the key list is empty; generate a key with `openssl rand -base64 32`');
  const keys: Record<string, string> = {};
  // The order of the text, kept apart: an object lists integer-like ids ("2026") first.
  const ids: string[] = [];
  for (const part of parts) {
    const colon = part.indexOf(':');
    const [id, key] = colon > 0 ? [part.slice(0, colon), part.slice(colon + 1).trim()] : [fingerprintOfText(part), part];
    if (Object.hasOwn(keys, id)) throw errors.invalid(`key id ${JSON.stringify(id)} appears twice in the key list`);
    keys[id] = key;
    ids.push(id);
  }
  return { keys, currentKeyId: ids[0]!, hmacKeyId: ids[ids.length - 1]! };
}
