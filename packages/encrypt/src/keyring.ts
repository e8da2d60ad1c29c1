import { storeErrors } from '@sessions/core';
import { fingerprintKeyId, fingerprintOfText, parseMasterKey, type MasterKey } from './master-key.js';

const errors = storeErrors('encrypt');
// Key ids travel inside every envelope: keep them short and printable (and free of "~", the
// envelope's separator).
const KEY_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Options of {@link Keyring}. */
export interface KeyringOptions {
  /** Every master key that may still be needed to read, by id. */
  keys: Record<string, MasterKey>;
  /** The id of the key new data is encrypted with; must be one of `keys`. */
  currentKeyId: string;
  /**
   * The id of the key idempotency keys are hashed with (HMAC-SHA256 under a key derived from it).
   * Retries are recognised only while this stays the same key: keep it across rotations.
   * @default the first id of `keys` (list keys oldest first, add new ones at the end)
   */
  hmacKeyId?: string;
}

/**
 * A set of master keys by id: one current key for writes, any of them for reads, one fixed key
 * for hashing idempotency keys. Keys are checked once, here, so a wrong-length, malformed or
 * passphrase-like key fails at start-up rather than on the first message.
 */
export class Keyring {
  /** The id new envelopes are written with. */
  readonly currentKeyId: string;
  /** The id of the key idempotency keys are hashed with. */
  readonly hmacKeyId: string;
  private readonly keys: ReadonlyMap<string, Buffer>;
  /** Fingerprint ids (`k` + 8 hex digits) of every key, for data written under a bare key. */
  private readonly aliases: ReadonlyMap<string, Buffer>;

  constructor(options: KeyringOptions) {
    if (typeof options !== 'object' || options === null || typeof options.keys !== 'object' || options.keys === null) {
      throw errors.invalid('the keyring needs { keys: { <id>: <32-byte key> }, currentKeyId }');
    }
    const keys = new Map<string, Buffer>();
    const aliases = new Map<string, Buffer>();
    for (const [id, key] of Object.entries(options.keys)) {
      if (!KEY_ID.test(id)) {
        throw errors.invalid(`key id ${JSON.stringify(id)} must be 1 to 64 characters of letters, digits, ".", "_", ":" or "-"`);
      }
      const bytes = parseMasterKey(id, key);
      keys.set(id, bytes);
      aliases.set(fingerprintKeyId(bytes), bytes);
      if (typeof key === 'string') aliases.set(fingerprintOfText(key.trim()), bytes);
    }
    if (keys.size === 0) throw errors.invalid('the keyring has no keys; pass at least one 32-byte key in keys');
    const ids = [...keys.keys()];
    if (typeof options.currentKeyId !== 'string' || !keys.has(options.currentKeyId)) {
      throw errors.invalid(`currentKeyId ${JSON.stringify(options.currentKeyId)} is not one of the keyring's ids (${ids.join(', ')})`);
    }
    const hmacKeyId = options.hmacKeyId ?? ids[0]!;
    if (!keys.has(hmacKeyId)) throw errors.invalid(`hmacKeyId ${JSON.stringify(hmacKeyId)} is not one of the keyring's ids (${ids.join(', ')})`);
    this.currentKeyId = options.currentKeyId;
    this.hmacKeyId = hmacKeyId;
    this.keys = keys;
    this.aliases = aliases;
  }

  /**
   * The master key with this id, or `undefined` when the keyring does not hold it. An id of the
   * form `k<8 hex digits>` that is not a key's own id also finds the key with that fingerprint.
   */
  get(keyId: string): Buffer | undefined {
    return this.keys.get(keyId) ?? this.aliases.get(keyId);
  }

  /** Every key id, the current one included, in the order given. */
  ids(): string[] {
    return [...this.keys.keys()];
  }
}
