import { requireService } from '@sessions/test-services';
import { Cluster, Redis } from 'ioredis';

/** The single test server's URL, or `undefined` (tests skipped, loudly) when it is unavailable. */
export const redisUrl = requireService('redis');

/** The test cluster's seed nodes (`host:port`), or `undefined` when unavailable. */
export const clusterNodes = requireService('cluster')
  ?.split(',')
  .filter(Boolean);

/** A new client to the single test server. */
export function newRedis(): Redis {
  return new Redis(redisUrl!, { maxRetriesPerRequest: 2 });
}

/** A new client to the test cluster. */
export function newCluster(): Cluster {
  return new Cluster(
    clusterNodes!.map((node) => {
      const [host, port] = node.split(':');
      return { host: host!, port: Number(port) };
    }),
    { redisOptions: { maxRetriesPerRequest: 2 } },
  );
}
