import { describeConformance } from '@sessions/conformance';
import { RedisSessionStore } from '@sessions/redis';
import type { Cluster } from 'ioredis';
import { describe } from 'vitest';
import { redisInspector } from '../src/testing/index.js';
import { clusterNodes, newCluster } from './support/servers.js';

const clients = new Set<Cluster>();
const client = () => {
  const c = newCluster();
  clients.add(c);
  return c;
};

describe.skipIf(!clusterNodes)('RedisSessionStore on a 3-master Redis Cluster', () => {
  describeConformance({
    name: 'redis-cluster',
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
