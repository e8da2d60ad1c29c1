import { describeConformance } from '@sessions/conformance';
import { PostgresSessionStore } from '@sessions/postgres';
import { describe } from 'vitest';
import { postgresInspector } from '../src/testing/index.js';
import { sharedPGlite } from './support/servers.js';

// One embedded database for the whole file (a PGlite cold start is expensive); the suite's
// namespace is its own schema in it.
const migrated = new Map<string, Promise<unknown>>();

describe('PostgresSessionStore embedded (PGlite)', () => {
  describeConformance({
    name: 'postgres-pglite',
    // PGlite runs every statement on this process's one thread (a few ms per call, far more on
    // a loaded machine): the expiry timeline gets second-sized TTLs so its set-up and checks
    // fit inside them. Expiry itself is to the millisecond, as on the server.
    capabilities: { ttlGranularityMs: 1000 },
    factory: {
      create: async (namespace, options) => {
        const store = new PostgresSessionStore({ pglite: await sharedPGlite(), schema: namespace, ...options });
        if (!migrated.has(namespace)) migrated.set(namespace, store.setup());
        await migrated.get(namespace);
        return store;
      },
      inspector: async (namespace) => {
        const pg = await sharedPGlite();
        return postgresInspector(async (text, params) => (await pg.query<Record<string, unknown>>(text, params)).rows, namespace);
      },
      teardown: async () => {
        await (await sharedPGlite()).close();
      },
    },
  });
});
