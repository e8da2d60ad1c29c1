import { randomBytes } from 'node:crypto';
import type { JsonObject, SessionStore } from '@sessions/core';
import { EncryptedSessionStore } from './encrypted-store.js';
import { MASTER_KEY_BYTES } from './keyring.js';
import type { EncryptStoreOptions } from './options.js';

/**
 * Wraps `store` so every message (and, with `encryptMetadata`, every metadata value) is
 * encrypted with AES-256-GCM under a per-session key before it is stored.
 *
 * ```ts
 * const store = encryptStore(new RedisSessionStore({ client }), {
 *   keys: { '2026-01': process.env.SESSIONS_KEY_2026_01! },
 *   currentKeyId: '2026-01',
 * });
 * ```
 */
export function encryptStore<M extends JsonObject = JsonObject>(
  store: SessionStore<JsonObject>,
  options: EncryptStoreOptions<M>,
): EncryptedSessionStore<M> {
  return new EncryptedSessionStore<M>(store, options);
}

/** A new random master key, base64: what to put in a secret manager for `keys`. */
export function generateMasterKey(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('base64');
}
