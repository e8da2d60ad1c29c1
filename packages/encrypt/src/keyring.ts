import { storeErrors } from '@sessions/core';

/** A master key: 32 raw bytes, or their base64 / base64url text. */
export type MasterKey = Uint8Array | string;

/** Length of an AES-256 master key, in bytes. */
export const MASTER_KEY_BYTES = 32;

const errors = storeErrors('encrypt');
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
// Key ids travel inside every envelope: keep them short and printable.
const KEY_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Options of {@link Keyring}. */
export interface KeyringOptions {
  /** Every master key that may still be needed to read, by id. */
  keys: Record<string, MasterKey>;
  /** The id of the key new data is encrypted with; must be one of `keys`. */
  currentKeyId: string;
}

/**
 * A set of master keys by id: one current key for writes, any of them for reads. Keys are
 * checked once, here, so a wrong-length or malformed key fails at start-up rather than on the
 * first message.
 */
export class Keyring {
  /** The id new envelopes are written with. */
  readonly currentKeyId: string;
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(options: KeyringOptions) {
    if (typeof options !== 'object' || options === null || typeof options.keys !== 'object' || options.keys === null) {
      throw errors.invalid('the keyring needs { keys: { <id>: <32-byte key> }, currentKeyId }');
    }
    const keys = new Map<string, Buffer>();
    for (const [id, key] of Object.entries(options.keys)) {
      if (!KEY_ID.test(id)) {
        throw errors.invalid(`key id ${JSON.stringify(id)} must be 1 to 64 characters of letters, digits, ".", "_", ":" or "-"`);
      }
      keys.set(id, parseMasterKey(id, key));
    }
    if (keys.size === 0) throw errors.invalid('the keyring has no keys; pass at least one 32-byte key in keys');
    if (!keys.has(options.currentKeyId)) {
      throw errors.invalid(`currentKeyId ${JSON.stringify(options.currentKeyId)} is not one of the keyring's ids (${[...keys.keys()].join(', ')})`);
    }
    this.currentKeyId = options.currentKeyId;
    this.keys = keys;
  }

  /** The master key with this id, or `undefined` when the keyring does not hold it. */
  get(keyId: string): Buffer | undefined {
    return this.keys.get(keyId);
  }

  /** Every key id, the current one included. */
  ids(): string[] {
    return [...this.keys.keys()];
  }
}

/** Decodes and checks one master key; the error names the key but never shows it. */
export function parseMasterKey(id: string, key: MasterKey): Buffer {
  let bytes: Buffer;
  if (typeof key === 'string') {
    const text = key.trim();
    if (!BASE64.test(text)) {
      throw errors.invalid(`key ${JSON.stringify(id)} is not base64; pass 32 random bytes or their base64 (e.g. from \`openssl rand -base64 32\`)`);
    }
    bytes = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  } else if (key instanceof Uint8Array) {
    bytes = Buffer.from(key);
  } else {
    throw errors.invalid(`key ${JSON.stringify(id)} must be a Uint8Array/Buffer or a base64 string, got ${key === null ? 'null' : typeof key}`);
  }
  if (bytes.length !== MASTER_KEY_BYTES) {
    throw errors.invalid(`key ${JSON.stringify(id)} is ${bytes.length} bytes; AES-256 needs exactly ${MASTER_KEY_BYTES} (generate one with \`openssl rand -base64 32\`)`);
  }
  return bytes;
}
