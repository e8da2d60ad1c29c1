import { RedisSessionStore } from '@sessions/redis';
import { requireService } from '@sessions/test-services';
import { Redis } from 'ioredis';
import { describe } from 'vitest';
import { describeEncryptedBackend } from './support/encrypted-backend.js';
import { redisDump } from './support/namespace-dump.js';
import { redisInspector } from '@sessions/redis/testing';

const url = requireService('redis');
const clients = new Set<Redis>();
const client = () => {
  const c = new Redis(url!, { maxRetriesPerRequest: 2 });
  clients.add(c);
  return c;
};

describe.skipIf(!url)('encrypted store over Redis', () => {
  describeEncryptedBackend({
    name: 'redis',
    // A 1 s TTL unit makes the suite's expiry timeline 2 s instead of 300 ms: the wrapper's
    // extra work on a loaded machine must not make a session expire between a write and its check.
    capabilities: { nativeExpiry: true, ttlGranularityMs: 1000 },
    inner: async (namespace, options) => new RedisSessionStore({ client: client(), keyPrefix: `${namespace}:`, ...options }),
    inspector: async (namespace) => redisInspector(client(), `${namespace}:`),
    dump: async (namespace) => redisDump(client(), `${namespace}:`),
    teardown: async () => {
      await Promise.all([...clients].map((c) => c.quit()));
    },
  });
});
