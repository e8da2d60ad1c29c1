import { PGlite } from '@electric-sql/pglite';
import { PostgresSessionStore } from '@sessions/postgres';
import { postgresInspector } from '@sessions/postgres/testing';
import { describe } from 'vitest';
import { describeEncryptedBackend } from './support/encrypted-backend.js';

// One embedded database for the whole file (a PGlite cold start is expensive): every "client"
// of a namespace is a store over it, in the namespace's own schema, as in the package's tests.
let shared: Promise<PGlite> | undefined;
const pglite = () => (shared ??= PGlite.create());
const prepared = new Map<string, Promise<unknown>>();

describe('encryption codec over PGlite', () => {
  describeEncryptedBackend({
    name: 'pglite',
    // PGlite runs every statement on this process's one thread: second-sized TTLs keep the
    // expiry timeline's set-up and checks inside them.
    capabilities: { ttlGranularityMs: 1000 },
    load: { seed: 40, writers: 3, perWriter: 15, pops: 10 },
    store: async (namespace, options) => {
      const store = new PostgresSessionStore({ ...options, pglite: await pglite(), schema: namespace });
      if (!prepared.has(namespace)) prepared.set(namespace, store.setup());
      await prepared.get(namespace);
      return store;
    },
    inspector: async (namespace) => {
      const pg = await pglite();
      return postgresInspector(async (text, params) => (await pg.query<Record<string, unknown>>(text, params)).rows, namespace);
    },
    dump: async (namespace) => {
      const pg = await pglite();
      return async () => {
        const tables = await pg.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [namespace]);
        const records: string[] = [];
        for (const { table_name } of tables.rows) {
          const rows = await pg.query<{ r: string }>(`SELECT row_to_json(t)::text AS r FROM "${namespace}"."${table_name.replaceAll('"', '""')}" t`);
          for (const row of rows.rows) records.push(`${table_name} ${row.r}`);
        }
        return records;
      };
    },
    teardown: async () => {
      await (await pglite()).close();
    },
  });
});
