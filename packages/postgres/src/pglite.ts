import type { PGliteInterface, PGliteOptions } from '@electric-sql/pglite';
import type { Row, SqlDriver, SqlRunner } from './driver.js';
import { errors } from './errors.js';

/**
 * A {@link SqlDriver} over PGlite, the embedded PostgreSQL (WebAssembly, no server). The same
 * statements as over postgres.js; PGlite runs one statement at a time, so calls queue.
 */
export function pgliteDriver(pg: PGliteInterface, owned: boolean): SqlDriver {
  const run =
    (client: Pick<PGliteInterface, 'query'>) =>
    async <R extends Row = Row>(text: string, params: readonly unknown[]): Promise<R[]> =>
      (await client.query<R>(text, params as unknown[])).rows;
  return {
    query: run(pg),
    transaction: <T>(work: (tx: SqlRunner) => Promise<T>) => pg.transaction((tx) => work({ query: run(tx) })),
    end: async () => {
      if (owned && !pg.closed) await pg.close();
    },
  };
}

/** `true` when `value` looks like a PGlite instance. */
export function isPGlite(value: unknown): value is PGliteInterface {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<PGliteInterface>).query === 'function' &&
    typeof (value as Partial<PGliteInterface>).transaction === 'function' &&
    'waitReady' in value
  );
}

/**
 * Opens a PGlite database: in memory when `dataDir` is absent, else persisted in that folder.
 * `@electric-sql/pglite` is an optional peer dependency, loaded only here.
 */
export async function openPGlite(dataDir?: string, options: PGliteOptions = {}): Promise<PGliteInterface> {
  let module: typeof import('@electric-sql/pglite');
  try {
    module = await import('@electric-sql/pglite');
  } catch (error) {
    throw errors.invalid('the embedded mode needs the optional peer dependency @electric-sql/pglite: npm install @electric-sql/pglite', error);
  }
  return module.PGlite.create(dataDir, options);
}
