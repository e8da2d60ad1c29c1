import type { SessionStore } from '../store.js';
import type { StoreOptions } from '../store/options.js';
import { invalidUrl, parseStoreUrl, type ParsedStoreUrl } from './parse.js';

/**
 * Opens a store for a URL of the schemes it was registered for. It receives the parsed URL and
 * the caller's options (the shared {@link StoreOptions} plus any backend option).
 */
export type StoreOpener<O extends object = Record<string, unknown>> = (url: ParsedStoreUrl, options: StoreOptions & O) => Promise<SessionStore> | SessionStore;

// Openers are kept type-erased: each was registered for its own options type, and openStore
// passes the caller's options through unchanged.
const openers = new Map<string, StoreOpener>();

/**
 * The package that registers each built-in scheme when imported: {@link openStore} imports it
 * on first use, so an app only needs the backend package installed.
 */
const PACKAGES: Readonly<Record<string, string>> = {
  redis: '@sessions/redis',
  rediss: '@sessions/redis',
  'redis+cluster': '@sessions/redis',
  'rediss+cluster': '@sessions/redis',
  postgres: '@sessions/postgres',
  postgresql: '@sessions/postgres',
  pglite: '@sessions/postgres',
  dynamodb: '@sessions/dynamo',
  sqlite: '@sessions/sqlite',
};

/** Makes {@link openStore} open `schemes` (without the colon) with `opener`. A backend package calls it when imported. */
export function registerStoreScheme<O extends object = Record<string, unknown>>(schemes: readonly string[], opener: StoreOpener<O>): void {
  for (const scheme of schemes) openers.set(scheme.toLowerCase(), opener as StoreOpener);
}

/** The schemes a store URL may use, for help texts. */
export function knownStoreSchemes(): string[] {
  return [...new Set(['memory', ...Object.keys(PACKAGES), ...openers.keys()])].sort();
}

/**
 * Opens the store a URL names; the store owns its client, so `close()` releases everything.
 * `setup()` is never run implicitly: call it once where you deploy (or `sessions migrate`).
 *
 * | URL | backend |
 * |---|---|
 * | `memory:` | in-memory store of this process |
 * | `sqlite:./path/sessions.db`, `sqlite::memory:` | `@sessions/sqlite` |
 * | `redis://[user:pass@]host:port[/db]`, `rediss://...` | `@sessions/redis` |
 * | `redis+cluster://host:port,host:port` | `@sessions/redis`, Redis Cluster |
 * | `postgres://user:pass@host:port/db`, `pglite:./dir` | `@sessions/postgres` |
 * | `dynamodb://host:port/table`, `dynamodb:table` | `@sessions/dynamo` |
 *
 * Query parameters are the backend's options (`?keyPrefix=app:`, `?schema=tenant`,
 * `?region=eu-west-1`); see each backend's README.
 *
 * @example
 * await using store = await openStore('sqlite:./conversations.db');
 */
export async function openStore<S extends SessionStore = SessionStore>(url: string, options: StoreOptions & Record<string, unknown> = {}): Promise<S> {
  const parsed = parseStoreUrl(url);
  let opener = openers.get(parsed.scheme);
  if (!opener && parsed.scheme === 'memory') {
    const { InMemorySessionStore } = await import('../memory/in-memory-store.js');
    opener = (_url, storeOptions) => new InMemorySessionStore(storeOptions);
  }
  if (!opener) {
    const name = PACKAGES[parsed.scheme];
    if (!name) throw invalidUrl(parsed.text, `the scheme "${parsed.scheme}:" is not known; use one of ${knownStoreSchemes().map((s) => `${s}:`).join(', ')}`);
    try {
      await import(name);
    } catch (error) {
      throw invalidUrl(parsed.text, `the scheme "${parsed.scheme}:" needs the package ${name}: install it (npm install ${name}) (${error instanceof Error ? error.message : String(error)})`);
    }
    opener = openers.get(parsed.scheme);
    if (!opener) throw invalidUrl(parsed.text, `${name} did not register the scheme "${parsed.scheme}:"`);
  }
  return (await opener(parsed, options)) as S;
}
