import { invalidUrl, parseStoreUrl } from '@sessions/core';

/** The URL schemes of `@sessions/postgres`, registered with core's `openStore` by the package entry. */
export const POSTGRES_SCHEMES = ['postgres', 'postgresql', 'pglite'] as const;

/** Where a store URL points, and the options its query gives. */
export type PostgresTarget =
  | { kind: 'server'; /** The connection URL for postgres.js, without the store's own parameters. */ url: string; schema: string | undefined }
  | { kind: 'embedded'; /** The data folder; `null` = in memory. */ dataDir: string | null; schema: string | undefined };

/**
 * Reads a store URL of this package:
 *
 * | URL | store |
 * |---|---|
 * | `postgres://user:pass@host:port/db`, `postgresql://...` | a postgres.js pool to that server |
 * | `pglite:./path`, `pglite:///abs/path` | embedded PGlite in that folder (created when missing) |
 * | `pglite:`, `pglite:memory` | embedded PGlite in memory |
 *
 * `?schema=name` sets the `schema` option on either; every other query parameter of a
 * `postgres://` URL goes to postgres.js (`sslmode`, `connect_timeout`, `application_name`...).
 * A malformed URL is `INVALID_ARGUMENT`, its password hidden in the message.
 */
export function parsePostgresUrl(input: string): PostgresTarget {
  const parsed = parseStoreUrl(input);
  const schema = parsed.params.get('schema') ?? undefined;
  switch (parsed.scheme) {
    case 'postgres':
    case 'postgresql': {
      let url: URL;
      try {
        url = new URL(parsed.text);
      } catch {
        throw invalidUrl(parsed.text, 'it is not a valid URL (postgres://user:pass@host:port/db)');
      }
      url.searchParams.delete('schema');
      if (!url.hostname && !url.searchParams.has('host')) throw invalidUrl(parsed.text, 'it has no host (postgres://user:pass@host:port/db)');
      return { kind: 'server', url: url.toString(), schema };
    }
    case 'pglite': {
      const query = parsed.rest.indexOf('?');
      const path = decodeURIComponent((query === -1 ? parsed.rest : parsed.rest.slice(0, query)).replace(/^\/\//, ''));
      return { kind: 'embedded', dataDir: path === '' || path === 'memory' ? null : path, schema };
    }
    default:
      throw invalidUrl(parsed.text, `@sessions/postgres opens ${POSTGRES_SCHEMES.map((s) => `${s}:`).join(', ')} URLs, not "${parsed.scheme}:"`);
  }
}
