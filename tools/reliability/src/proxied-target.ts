import { Redis } from 'ioredis';
import { splitHostPort, startFaultProxy, type FaultProxy, type FaultRates } from './fault-proxy.js';
import type { OpenOptions, StoreTarget } from './targets.js';

/** A store target seen through fault proxies, and the proxies. */
export interface ProxiedTarget {
  /** What the client processes open: the same store, with every address replaced by a proxy's. */
  target: StoreTarget;
  /** Open options the client processes need (a cluster's `natMap`). */
  open: OpenOptions;
  proxies: FaultProxy[];
}

/** The `host:port` of every master, as the cluster announces them (`CLUSTER SLOTS`). */
async function clusterMasters(seed: string): Promise<string[]> {
  const { host, port } = splitHostPort(seed);
  const client = new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const slots = await client.cluster('SLOTS');
    // Each range lists its master first, then its replicas.
    return [...new Set(slots.flatMap(([, , master]) => (master ? [`${master[0]}:${master[1]}`] : [])))];
  } finally {
    client.disconnect();
  }
}

/** `url` with its host and port replaced by `hostPort`. */
function throughProxy(url: string, proxy: FaultProxy): string {
  const parsed = new URL(url);
  parsed.hostname = proxy.host;
  parsed.port = String(proxy.port);
  return parsed.toString();
}

/**
 * Starts a fault proxy in front of `target`'s server (one per master on a Redis Cluster, where
 * the client processes get a `natMap` from the addresses the cluster announces to the
 * proxies', so that every connection, redirections included, goes through one).
 */
export async function proxyTarget(target: StoreTarget, rates: FaultRates, seed = 1): Promise<ProxiedTarget> {
  switch (target.backend) {
    case 'redis':
    case 'postgres':
    case 'dynamo': {
      const url = new URL(target.address);
      const proxy = await startFaultProxy({ target: `${url.hostname}:${url.port}`, rates, seed });
      return { target: { ...target, address: throughProxy(target.address, proxy) }, open: {}, proxies: [proxy] };
    }
    case 'cluster': {
      const masters = await clusterMasters(target.address.split(',')[0]!);
      const proxies = await Promise.all(masters.map((master, i) => startFaultProxy({ target: master, rates, seed: seed * 100 + i })));
      const natMap = Object.fromEntries(masters.map((master, i) => [master, { host: proxies[i]!.host, port: proxies[i]!.port }]));
      return { target: { ...target, address: proxies.map((p) => p.address).join(',') }, open: { natMap }, proxies };
    }
    case 'memory':
      throw new Error('the in-memory store has no server to put a proxy in front of');
  }
}
