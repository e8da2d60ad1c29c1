import { RedisSessionStore } from '@sessions/redis';
import { redisInspector } from '@sessions/redis/testing';
import { requireService } from '@sessions/test-services';
import { Redis } from 'ioredis';
import { describe } from 'vitest';
import { describeEncryptedBackend } from './support/encrypted-backend.js';
import { redisDump } from './support/namespace-dump.js';

const url = requireService('redis');
const clients = new Set<Redis>();
const client = () => {
  // A client that never resends a write after a reconnect, as the store asks of a passed-in client.
  const c = new Redis(url!, { maxRetriesPerRequest: 2, autoResendUnfulfilledCommands: false });
  clients.add(c);
  return c;
};

describe.skipIf(!url)('encryption codec over Redis', () => {
  describeEncryptedBackend({
    name: 'redis',
    // A 1 s TTL unit makes the suite's expiry timeline 2 s instead of 300 ms: the codec's extra
    // work on a loaded machine must not make a session expire between a write and its check.
    capabilities: { nativeExpiry: true, ttlGranularityMs: 1000 },
    store: async (namespace, options) => new RedisSessionStore({ ...options, client: client(), keyPrefix: `${namespace}:` }),
    inspector: async (namespace) => redisInspector(client(), `${namespace}:`),
    dump: async (namespace) => redisDump(client(), `${namespace}:`),
    teardown: async () => {
      await Promise.all([...clients].map((c) => c.quit()));
    },
  });
});
