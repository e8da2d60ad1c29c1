import { randomBytes } from 'node:crypto';
import { storeErrors, type DriverSessionStore, type JsonObject, type MessageCodec } from '@sessions/core';
import { EncryptionCodec } from './encryption-codec.js';
import { MASTER_KEY_BYTES } from './master-key.js';
import type { EncryptionOptions } from './options.js';

/**
 * The encryption codec, for any store's `codecs` option: every message (and, with
 * `encryptMetadata`, every metadata value) is encrypted (ChaCha20-Poly1305 with the optional
 * `sodium-native`, else AES-256-GCM) under a key derived for its user and session before the
 * backend stores it. Keep the returned object to rotate keys
 * ({@link reencryptSession}) or purge expired messages.
 *
 * ```ts
 * const codec = encryption({ keys: { '2026-01': process.env.SESSIONS_KEY_2026_01! }, currentKeyId: '2026-01' });
 * const store = new RedisSessionStore({ client, codecs: [codec] });
 * ```
 */
export function encryption(options: EncryptionOptions): EncryptionCodec {
  return new EncryptionCodec(options);
}

/**
 * `store` with encryption added: `store.withCodecs([encryption(options)])`. The returned store
 * takes over the original's backend connection: use (and close) the returned one only. Pass a
 * codec made with {@link encryption} instead of options to keep it for key rotation.
 */
export function encryptStore<M extends JsonObject = JsonObject>(
  store: DriverSessionStore<M>,
  options: EncryptionOptions | EncryptionCodec,
): DriverSessionStore<M> {
  // Checked by shape, not by class: the store may come from another copy of @sessions/core.
  if (typeof store !== 'object' || store === null || typeof (store as { withCodecs?: unknown }).withCodecs !== 'function') {
    throw storeErrors('encrypt').invalid(
      'encryptStore needs a store built on @sessions/core\'s DriverSessionStore (every backend of this project is one); wrap a custom backend as a SessionDriver and use createStore(driver, { codecs: [encryption(...)] })',
    );
  }
  const codec: MessageCodec = options instanceof EncryptionCodec ? options : new EncryptionCodec(options);
  return store.withCodecs([codec]);
}

/** A new random master key, base64: what to put in a secret manager for `keys` (the same as `openssl rand -base64 32`). */
export function generateMasterKey(): string {
  return randomBytes(MASTER_KEY_BYTES).toString('base64');
}
