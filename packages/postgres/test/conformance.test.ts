import { describeConformance } from '@sessions/conformance';
import { PostgresSessionStore } from '@sessions/postgres';
import type { Sql } from 'postgres';
import { describe } from 'vitest';
import { postgresInspector } from '../src/testing/index.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

// Each store gets its own client, as separate processes would; the inspector has one more.
const clients = new Set<Sql>();
const client = () => {
  const c = newClient();
  clients.add(c);
  return c;
};
// The suite's namespace is a fresh PostgreSQL schema, migrated once.
const migrated = new Map<string, Promise<unknown>>();

describe.skipIf(!postgresUrl)('PostgresSessionStore on a PostgreSQL server', () => {
  describeConformance({
    name: 'postgres',
    factory: {
      create: async (namespace, options) => {
        const store = new PostgresSessionStore({ client: client(), schema: namespace, ...options });
        if (!migrated.has(namespace)) migrated.set(namespace, store.setup());
        await migrated.get(namespace);
        return store;
      },
      inspector: (namespace) => {
        const sql = client();
        return postgresInspector((text, params) => sql.unsafe(text, params as never[]), namespace);
      },
      teardown: async () => {
        const admin = client();
        for (const namespace of migrated.keys()) await dropSchema(admin, namespace);
        await Promise.all([...clients].map((c) => c.end({ timeout: 5 })));
      },
    },
  });
});
