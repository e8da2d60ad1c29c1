import { readFile, stat } from 'node:fs/promises';
import { isSessionStoreError, type MessageCodec } from '@sessions/core';
import { usageError } from '../cli-error.js';

/** Where the keys come from, for messages: `--encrypt-key` or the key file's path. */
export interface KeySource {
  /** The key list: one base64 key, or `id:key,id:key` with the current key first. */
  text: string;
  /** How to name it in a message. */
  name: string;
}

/**
 * Reads keys from a file, refusing one that other users may read or write (as ssh does with a
 * private key): a key in a world-readable file is a key anyone on the machine has. The file
 * holds the same list as `--encrypt-key`, one item per line or comma-separated; lines starting
 * with `#` are comments.
 */
export async function readKeyFile(path: string): Promise<KeySource> {
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
  const items = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  return { text: items.join(','), name: `the key file ${path}` };
}

/**
 * The encryption codec for `keys`, from `@sessions/encrypt` (loaded only when a key is given):
 * the key list is read by the package's own `parseKeyList`, so it means the same as in an app.
 * A list or a key it refuses is a usage error naming where the key came from, never the key.
 */
export async function loadEncryption(keys: KeySource): Promise<MessageCodec> {
  const { encryption, parseKeyList } = await import('@sessions/encrypt');
  try {
    return encryption(parseKeyList(keys.text));
  } catch (error) {
    if (!isSessionStoreError(error)) throw error;
    throw usageError(`${keys.name} is not usable: ${error.message.replace(/^\[sessions\] \[[^\]]*\] /, '')}`);
  }
}
