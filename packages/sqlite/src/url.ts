import { invalidUrl, parseStoreUrl, registerStoreScheme, type SessionStore } from '@sessions/core';
import type { SqliteConnectionSettings, SqliteSynchronous, SqliteUrlOptions } from './options.js';

/** A `sqlite:` URL, read: the database path and the connection settings of its query. */
export interface SqliteUrl {
  /** A file path as written (relative to the working directory), or `':memory:'`. */
  path: string;
  settings: SqliteConnectionSettings;
}

/** The URL schemes of this package. */
export const SQLITE_SCHEMES = ['sqlite'] as const;

const SETTINGS = ['busyTimeoutMs', 'synchronous'];

/**
 * Reads a `sqlite:` URL:
 *
 * | URL | database |
 * |---|---|
 * | `sqlite:./data/sessions.db`, `sqlite:data/sessions.db` | a file relative to the working directory |
 * | `sqlite:/var/lib/app/sessions.db`, `sqlite:///var/lib/app/sessions.db` | an absolute path |
 * | `sqlite::memory:` | a private in-memory database |
 *
 * The path is taken literally (no percent-decoding); it cannot hold `?`. Query parameters:
 * `busyTimeoutMs` (ms) and `synchronous` (`NORMAL`, `FULL`, `EXTRA`); any other is refused.
 */
export function parseSqliteUrl(url: string): SqliteUrl {
  const parsed = parseStoreUrl(url);
  if (parsed.scheme !== 'sqlite') throw invalidUrl(parsed.text, `the scheme is "${parsed.scheme}:", not "sqlite:"`);
  const query = parsed.rest.indexOf('?');
  let path = query === -1 ? parsed.rest : parsed.rest.slice(0, query);
  if (path.startsWith('//')) {
    // The URL form of an absolute path, sqlite:///abs; a host (sqlite://host/...) means nothing here.
    if (!path.startsWith('///')) throw invalidUrl(parsed.text, 'write a file path as sqlite:./relative.db, sqlite:/absolute.db or sqlite:///absolute.db (no host)');
    path = path.slice(2);
  }
  if (path === '') throw invalidUrl(parsed.text, 'it names no database: give a file path (sqlite:./sessions.db) or sqlite::memory:');
  const settings: SqliteConnectionSettings = {};
  for (const [name, value] of parsed.params) {
    if (name === 'busyTimeoutMs') {
      const ms = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(ms)) throw invalidUrl(parsed.text, `busyTimeoutMs must be a non-negative integer (ms), got ${JSON.stringify(value)}`);
      settings.busyTimeoutMs = ms;
    } else if (name === 'synchronous') {
      const mode = value.toUpperCase();
      if (mode !== 'NORMAL' && mode !== 'FULL' && mode !== 'EXTRA') throw invalidUrl(parsed.text, `synchronous must be NORMAL, FULL or EXTRA, got ${JSON.stringify(value)}`);
      settings.synchronous = mode satisfies SqliteSynchronous;
    } else {
      throw invalidUrl(parsed.text, `unknown query parameter "${name}"; a sqlite: URL takes ${SETTINGS.join(', ')}`);
    }
  }
  return { path, settings };
}

/** Makes `openStore('sqlite:...')` open a `SqliteSessionStore` (called when the package is imported). */
export function registerSqliteScheme(): void {
  registerStoreScheme(SQLITE_SCHEMES, async (url, options): Promise<SessionStore> => {
    // Imported here, not at the top: the store module imports this one for parseSqliteUrl.
    const { SqliteSessionStore } = await import('./sqlite-session-store.js');
    return SqliteSessionStore.fromUrl(url.text, options as SqliteUrlOptions);
  });
}
