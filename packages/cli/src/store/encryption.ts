import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { MessageCodec, SessionStore } from '@sessions/core';
import { usageError } from '../cli-error.js';

/** Master keys by id, and the id new data is encrypted with: what `@sessions/encrypt` takes. */
export interface EncryptionKeys {
  keys: Record<string, string>;
  currentKeyId: string;
}

/**
 * The part of `@sessions/encrypt` the CLI uses. The codec form, `encryption(...)`, goes in any
 * store's options; `encryptStore(store, ...)` wraps a store. The CLI takes the codec when the
 * package has it and the wrapper otherwise, so it works with either shape of the package.
 */
interface EncryptModule {
  encryption?: (options: EncryptionKeys) => MessageCodec;
  encryptStore?: (store: SessionStore, options: EncryptionKeys) => SessionStore;
}

/** How a store gets its encryption: as a codec in its options, or by wrapping it once open. */
export type Encryption = { codecs: MessageCodec[] } | { wrap: (store: SessionStore) => SessionStore };

// A specifier in a variable: resolved at run time, so the CLI builds without compiling the
// encrypt package (it is loaded only with --encrypt-key), and EncryptModule states what is used.
const ENCRYPT_PACKAGE = '@sessions/encrypt';

/** A key's id when none is given: derived from the key, so two different keys never share an id. */
function fingerprintId(key: string): string {
  return `k${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

/**
 * Parses keys: `<base64>`, or `id:<base64>` items separated by commas or new lines (the first is
 * current; `#` starts a comment line in a key file). A bare key gets an id derived from it; a
 * named key is also known under that derived id, so data written while the key was given bare
 * still decrypts once it is given a name for a rotation.
 */
export function parseKeys(text: string, source = '--encrypt-key'): EncryptionKeys {
  const parts = text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('#'));
  if (parts.length === 0) throw usageError(`${source} holds no key; make one with: openssl rand -base64 32`);
  const keys: Record<string, string> = {};
  let currentKeyId = '';
  for (const part of parts) {
    const colon = part.indexOf(':');
    const [id, key] = colon > 0 ? [part.slice(0, colon).trim(), part.slice(colon + 1).trim()] : [fingerprintId(part), part];
    if (keys[id] !== undefined && keys[id] !== key) throw usageError(`${source} gives two different keys the id "${id}"`);
    keys[id] = key;
    keys[fingerprintId(key)] ??= key;
    currentKeyId ||= id;
  }
  return { keys, currentKeyId };
}

/**
 * Reads keys from a file, refusing one that other users may read or write (as ssh does with a
 * private key): a key in a world-readable file is a key anyone on the machine has.
 */
export async function readKeyFile(path: string): Promise<EncryptionKeys> {
  let mode: number;
  let text: string;
  try {
    mode = (await stat(path)).mode;
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read the key file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Windows has no such bits: its access control lists decide who reads the file.
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw usageError(`the key file ${path} can be read or written by other users (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); make it private with: chmod 600 ${path}`);
  }
  return parseKeys(text, `the key file ${path}`);
}

/** Loads `@sessions/encrypt` and prepares encryption with `keys`; a key it refuses is a usage error. */
export async function loadEncryption(keys: EncryptionKeys, source: string): Promise<Encryption> {
  let module: EncryptModule;
  try {
    module = (await import(ENCRYPT_PACKAGE)) as EncryptModule;
  } catch (error) {
    throw usageError(`${source} needs the package ${ENCRYPT_PACKAGE}: install it (npm install ${ENCRYPT_PACKAGE}) (${error instanceof Error ? error.message : String(error)})`);
  }
  const refused = (error: unknown) => usageError(`${source} is not usable: ${error instanceof Error ? error.message : String(error)}`);
  const { encryption, encryptStore } = module;
  if (encryption) {
    try {
      return { codecs: [encryption(keys)] };
    } catch (error) {
      throw refused(error);
    }
  }
  if (!encryptStore) throw usageError(`${ENCRYPT_PACKAGE} exports neither encryption() nor encryptStore(): is it a matching version?`);
  return {
    wrap: (store) => {
      try {
        return encryptStore(store, keys);
      } catch (error) {
        throw refused(error);
      }
    },
  };
}
