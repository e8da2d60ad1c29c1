import { PostgresSessionStore } from '@sessions/postgres';
import { postgresInspector } from '@sessions/postgres/testing';
import { requireService } from '@sessions/test-services';
import postgres, { type Sql } from 'postgres';
import { describe } from 'vitest';
import { describeEncryptedBackend } from './support/encrypted-backend.js';
import { postgresDump } from './support/namespace-dump.js';

const url = requireService('postgres');
const clients = new Set<Sql>();
const client = () => {
  const c = postgres(url!, { max: 4, onnotice: () => undefined });
  clients.add(c);
  return c;
};
// Each namespace is a fresh PostgreSQL schema, set up once.
const prepared = new Map<string, Promise<unknown>>();

describe.skipIf(!url)('encryption codec over PostgreSQL', () => {
  describeEncryptedBackend({
    name: 'postgres',
    // A 1 s TTL unit makes the suite's expiry timeline 2 s instead of 300 ms: the codec's extra
    // work on a loaded machine must not make a session expire between a write and its check.
    capabilities: { ttlGranularityMs: 1000 },
    store: async (namespace, options) => {
      const store = new PostgresSessionStore({ ...options, client: client(), schema: namespace });
      if (!prepared.has(namespace)) prepared.set(namespace, store.setup());
      await prepared.get(namespace);
      return store;
    },
    inspector: async (namespace) => {
      const sql = client();
      return postgresInspector((text, params) => sql.unsafe(text, params as never[]), namespace);
    },
    dump: async (namespace) => postgresDump(client(), namespace),
    teardown: async () => {
      const admin = client();
      for (const namespace of prepared.keys()) await admin.unsafe(`DROP SCHEMA IF EXISTS "${namespace.replaceAll('"', '""')}" CASCADE`);
      await Promise.all([...clients].map((c) => c.end({ timeout: 5 })));
    },
  });
});
