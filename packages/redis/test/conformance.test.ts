import { describeConformance } from '@sessions/conformance';
import { RedisSessionStore } from '@sessions/redis';
import { describe } from 'vitest';
import { redisInspector } from '../src/testing/index.js';
import { newRedis, redisUrl } from './support/servers.js';

// Each store gets its own client, as separate processes would; the inspector has one more.
const clients = new Set<ReturnType<typeof newRedis>>();
const client = () => {
  const c = newRedis();
  clients.add(c);
  return c;
};

describe.skipIf(!redisUrl)('RedisSessionStore on a single server', () => {
  describeConformance({
    name: 'redis',
    capabilities: { nativeExpiry: true },
    factory: {
      create: async (namespace, options) => new RedisSessionStore({ client: client(), keyPrefix: `${namespace}:`, ...options }),
      inspector: (namespace) => redisInspector(client(), `${namespace}:`),
      teardown: async () => {
        await Promise.all([...clients].map((c) => c.quit()));
      },
    },
  });
});
