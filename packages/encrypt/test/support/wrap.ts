import type { ConformanceStoreOptions } from '@sessions/conformance';
import type { JsonObject, SessionStore } from '@sessions/core';
import { encryptStore, envelopeBytes, type EncryptedSessionStore } from '../../src/index.js';
import { KEY_A, KEY_B } from '../fixtures.js';

/**
 * The inner store's options for a wrapper with these conformance options: the same TTL, room
 * for envelopes. No `messageSchema`: the inner store only ever sees envelopes; the wrapper validates.
 */
export function innerOptions(options: ConformanceStoreOptions = {}): ConformanceStoreOptions {
  return {
    ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
    maxMessageBytes: envelopeBytes(options.maxMessageBytes ?? 256 * 1024),
  };
}

/**
 * The wrapper as the conformance suite runs it, with two keys in its keyring. Metadata stays in
 * plaintext here: encrypted, 64 KiB of metadata no longer fits the stores' 64 KiB limit, which
 * the suite checks exactly (metadata encryption has its own tests).
 */
export function wrap(inner: SessionStore<JsonObject>, options: ConformanceStoreOptions = {}): EncryptedSessionStore {
  return encryptStore(inner, {
    keys: { old: KEY_A, new: KEY_B },
    currentKeyId: 'new',
    ...(options.maxMessageBytes === undefined ? {} : { maxMessageBytes: options.maxMessageBytes }),
    ...(options.messageSchema === undefined ? {} : { messageSchema: options.messageSchema }),
  });
}
