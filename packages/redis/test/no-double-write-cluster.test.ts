import { randomBytes } from 'node:crypto';
import { isSessionStoreError, type SessionStoreError } from '@sessions/core';
import { KeySpace, RedisSessionStore } from '@sessions/redis';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCutProxy, type CutProxy } from './support/cut-proxy.js';
import { clusterNodes, newCluster } from './support/servers.js';

async function failure(promise: Promise<unknown>): Promise<SessionStoreError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  if (!isSessionStoreError(error)) throw error;
  return error;
}

/** Redis Cluster behind one cut proxy per master; the client reaches every node through them (natMap). */
describe.skipIf(!clusterNodes)('a cluster connection cut after a master ran a write and before the reply', () => {
  const prefix = `cutc_${randomBytes(4).toString('hex')}:`;
  const proxies = new Map<string, CutProxy>();
  let direct: Cluster;
  let natMap: Record<string, { host: string; port: number }>;

  beforeAll(async () => {
    direct = newCluster();
    await direct.ping();
    natMap = {};
    for (const node of direct.nodes('master')) {
      const address = `${node.options.host}:${node.options.port}`;
      const proxy = await startCutProxy(node.options.host ?? '127.0.0.1', node.options.port ?? 0);
      proxies.set(address, proxy);
      natMap[address] = { host: '127.0.0.1', port: proxy.port };
    }
  });
  afterAll(async () => {
    await new RedisSessionStore({ client: direct, keyPrefix: prefix }).deleteUser('u');
    await direct.quit();
    for (const proxy of proxies.values()) await proxy.close();
  });

  /** The proxy in front of the master that holds `key`. */
  async function proxyOf(key: string): Promise<CutProxy> {
    const slot = (await direct.call('CLUSTER', 'KEYSLOT', key)) as number;
    const owner = direct.slots[slot]?.[0];
    const proxy = owner ? proxies.get(owner) : undefined;
    if (!proxy) throw new Error(`no proxy for slot ${slot}`);
    return proxy;
  }

  it('fails UNAVAILABLE (outcome unknown) and the append is stored once', async () => {
    const seeds = [...proxies.values()].map((p) => `127.0.0.1:${p.port}`);
    const store = await RedisSessionStore.fromClusterNodes(seeds, { keyPrefix: prefix, clusterOptions: { natMap } });
    await store.append('u', 's', { n: 0 }); // loads the script on that master
    const proxy = await proxyOf(new KeySpace(prefix).session('u', 's').record);
    proxy.cutNextReply();
    const error = await failure(store.append('u', 's', [{ n: 1 }, { n: 2 }]));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/may or may not have been applied/);
    const stored = new RedisSessionStore({ client: direct, keyPrefix: prefix });
    expect((await stored.getMessages('u', 's')).map((m) => m.message)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(await store.append('u', 's', { n: 3 })).toMatchObject({ firstSeq: 4 });
    await store.close();
  });
});
