/**
 * The store used when neither `--store` nor `SESSIONS_STORE` is given: a SQLite file in
 * `./.sessions`, which needs no server, opens in milliseconds and is safe for several `sessions`
 * processes at once. (It was PGlite, `pglite:./.sessions`, which takes seconds to open and
 * loses writes when two processes share its folder; that URL still works with `--store`.)
 */
export const DEFAULT_STORE_URL = 'sqlite:./.sessions/sessions.db';

/** The store a command was asked for. */
export interface StoreChoice {
  /** The URL to open. */
  url: string;
  /** Where it came from: `--store` (or `--from`/`--to`), `SESSIONS_STORE`, or the default. */
  source: 'flag' | 'env' | 'default';
}

/** The store URL to use: the flag, else `$SESSIONS_STORE`, else {@link DEFAULT_STORE_URL}. */
export function resolveStoreUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): StoreChoice {
  // An empty value counts as unset, as shells often export empty variables.
  if (flag) return { url: flag, source: 'flag' };
  const fromEnv = env['SESSIONS_STORE'];
  if (fromEnv) return { url: fromEnv, source: 'env' };
  return { url: DEFAULT_STORE_URL, source: 'default' };
}
