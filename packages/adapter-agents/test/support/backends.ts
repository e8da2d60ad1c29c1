import { randomUUID } from 'node:crypto';
import { InMemorySessionStore, type RawInspector, type SessionStore } from '@sessions/core';
import { PostgresSessionStore } from '@sessions/postgres';
import { RedisSessionStore } from '@sessions/redis';
import { redisInspector } from '@sessions/redis/testing';
import { requireService } from '@sessions/test-services';

/** A backend the adapter tests run over. */
export interface TestBackend {
  name: string;
  /** A fresh store, isolated from every other test file (its own schema, key prefix...). */
  create(): Promise<SessionStore>;
  /** What the backend really holds, read past the store (for the backends that ship an inspector usable here). */
  inspector?(store: SessionStore): RawInspector;
}

const redisUrl = requireService('redis');
const postgresUrl = requireService('postgres');

/**
 * Every backend available in this run: the in-memory store always; Redis and PostgreSQL when
 * the test-services harness provides a server (otherwise it warns and the backend is left out).
 */
export function testBackends(): TestBackend[] {
  const backends: TestBackend[] = [{ name: 'memory', create: async () => new InMemorySessionStore() }];
  if (redisUrl) {
    backends.push({
      name: 'redis',
      // A key prefix of its own per store: test files run in parallel on one server.
      create: async () => RedisSessionStore.fromUrl(redisUrl, { keyPrefix: `adapter-agents:${randomUUID()}:` }),
      inspector: (store) => {
        if (!(store instanceof RedisSessionStore)) throw new Error('the redis inspector needs the RedisSessionStore this backend created');
        return redisInspector(store.client, store.keyPrefix);
      },
    });
  }
  if (postgresUrl) {
    backends.push({
      name: 'postgres',
      create: async () => {
        // A schema of its own per store: test files run in parallel on one server.
        const schema = `adapter_agents_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
        const store = await PostgresSessionStore.fromUrl(postgresUrl, { schema });
        await store.setup();
        return store;
      },
    });
  }
  return backends;
}
