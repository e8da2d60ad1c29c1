import { RedisSessionStore } from '@sessions/redis';
import { redisInspector } from '@sessions/redis/testing';
import { requireService } from '@sessions/test-services';
import { Cluster } from 'ioredis';
import { describe } from 'vitest';
import { describeEncryptedBackend } from './support/encrypted-backend.js';
import { redisDump } from './support/namespace-dump.js';

const nodes = requireService('cluster')?.split(',').filter(Boolean);
const clients = new Set<Cluster>();
const client = () => {
  const c = new Cluster(
    nodes!.map((node) => {
      const [host, port] = node.split(':');
      return { host: host!, port: Number(port) };
    }),
    // No resend of a write whose node connection closed before the reply (the store refuses a client that would).
    { retryDelayOnFailover: 0, redisOptions: { maxRetriesPerRequest: 2, autoResendUnfulfilledCommands: false } },
  );
  clients.add(c);
  return c;
};
/** A cluster client that has discovered its masters (SCAN runs on each of them). */
const ready = async () => {
  const c = client();
  await c.ping();
  return c;
};

describe.skipIf(!nodes)('encryption codec over a 3-master Redis Cluster', () => {
  describeEncryptedBackend({
    name: 'redis-cluster',
    // A 1 s TTL unit makes the suite's expiry timeline 2 s instead of 300 ms: the codec's extra
    // work on a loaded machine must not make a session expire between a write and its check.
    capabilities: { nativeExpiry: true, ttlGranularityMs: 1000 },
    store: async (namespace, options) => new RedisSessionStore({ ...options, client: client(), keyPrefix: `${namespace}:` }),
    inspector: async (namespace) => redisInspector(await ready(), `${namespace}:`),
    dump: async (namespace) => redisDump(await ready(), `${namespace}:`),
    teardown: async () => {
      await Promise.all([...clients].map((c) => c.quit()));
    },
  });
});
