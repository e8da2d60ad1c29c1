import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isSessionStoreError, openStore, redactUrl, type MessageCodec, type SessionStore } from '@sessions/core';
import { CliError, EXIT } from '../cli-error.js';
import type { Secrets } from '../secrets.js';
import type { StoreChoice } from './store-url.js';

/** Options of {@link openCliStore}. */
export interface OpenCliStoreOptions {
  /** Encrypt and decrypt messages with this codec (from `--encrypt-key` or `--encrypt-key-file`). */
  encryption?: MessageCodec | undefined;
  /** Run `store.setup()` (create the schema or table; safe to re-run). The default store is always set up. */
  setup?: boolean;
  /** Where the URL's password is registered, so no message shows it. */
  secrets: Secrets;
}

/**
 * Opens the store a URL names through core's `openStore`: each backend package registers its
 * own schemes and owns their grammar (query parameters are its options), so a URL means the
 * same here as in an app, and a new backend needs nothing here. The store owns its client, so
 * `close()` releases everything. A failure is a {@link CliError} naming the URL (password
 * hidden), with the store's error as its cause, which the error report explains.
 */
export async function openCliStore(choice: StoreChoice, options: OpenCliStoreOptions): Promise<SessionStore> {
  options.secrets.addUrl(choice.url);
  const shown = redactUrl(choice.url);
  if (choice.source === 'default') await prepareDefaultFolder(choice.url);
  let store: SessionStore;
  try {
    store = await openStore(choice.url, options.encryption ? { codecs: [options.encryption] } : {});
  } catch (error) {
    // A malformed URL or an unknown scheme: core's message names the URL (password hidden) and what to change.
    if (isSessionStoreError(error, 'INVALID_ARGUMENT')) throw new CliError(error.message.replace(/^\[sessions\] \[[^\]]*\] /, ''), EXIT.usage);
    throw new CliError(`cannot open the store ${shown}`, EXIT.operational, { cause: error });
  }
  try {
    // The default store is the CLI's own file: it is set up on first use instead of asking
    // the user to run `sessions migrate` before the first command.
    if (options.setup || choice.source === 'default') await store.setup();
    return store;
  } catch (error) {
    await store.close().catch(() => undefined);
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot set up the store ${shown}`, EXIT.operational, { cause: error });
  }
}

/** The default store lives in `./.sessions`: make the folder, as a new user has none. */
async function prepareDefaultFolder(url: string): Promise<void> {
  const path = /^sqlite:(?:\/\/)?([^?]+)/.exec(url)?.[1];
  if (!path || path === ':memory:') return;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new CliError(`cannot create the folder of the default store ${url}`, EXIT.operational, { cause: error });
  }
}
