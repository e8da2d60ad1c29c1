import { requireService } from '@sessions/test-services';
import { Cluster, Redis } from 'ioredis';

/** The single test server's URL, or `undefined` (tests skipped, loudly) when it is unavailable. */
export const redisUrl = requireService('redis');

/** The test cluster's seed nodes (`host:port`), or `undefined` when unavailable. */
export const clusterNodes = requireService('cluster')
  ?.split(',')
  .filter(Boolean);

/** The single test server's URL; only called inside suites skipped when it is unavailable. */
export function requireRedisUrl(): string {
  if (!redisUrl) throw new Error('SESSIONS_REDIS_URL is not set');
  return redisUrl;
}

/** A new client to the single test server, configured as the store requires (no resend after a dropped connection). */
export function newRedis(): Redis {
  return new Redis(requireRedisUrl(), { maxRetriesPerRequest: 2, autoResendUnfulfilledCommands: false });
}

/** A new client to the test cluster, configured as the store requires (no resend after a dropped connection). */
export function newCluster(): Cluster {
  if (!clusterNodes) throw new Error('SESSIONS_REDIS_CLUSTER_NODES is not set');
  return new Cluster(
    clusterNodes.map((node) => {
      const [host = '127.0.0.1', port] = node.split(':');
      return { host, port: Number(port) };
    }),
    { retryDelayOnFailover: 0, redisOptions: { maxRetriesPerRequest: 2 } },
  );
}
