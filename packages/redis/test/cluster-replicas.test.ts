import { setTimeout as sleep } from 'node:timers/promises';
import { describeConformance } from '@sessions/conformance';
import { encodeUserId, RedisSessionStore } from '@sessions/redis';
import { startRedisCluster, type RedisClusterHandle } from '@sessions/test-services';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisInspector } from '../src/testing/index.js';
import { FailoverLoad, type FailoverFigures } from './support/failover.js';
import { freeze, serverPid, thaw } from './support/pause.js';
import { clusterNodes } from './support/servers.js';

/**
 * One cluster of 3 masters + 3 replicas, started by this file only (the shared test cluster has
 * no replica and starts faster): the conformance suite with `waitForReplicas`, then two
 * failovers of the shard that holds the test users, with writers with and without the option.
 */
const NODE_TIMEOUT_MS = 1000;
const WAIT = { replicas: 1, timeoutMs: 1000 } as const;
let cluster: RedisClusterHandle | undefined;
const clients = new Set<Cluster | Redis>();

function clusterClient(): Cluster {
  if (!cluster) throw new Error('the cluster with replicas did not start');
  const c = new Cluster(cluster.nodes, {
    retryDelayOnFailover: 0,
    redisOptions: { maxRetriesPerRequest: 1, connectTimeout: 500, autoResendUnfulfilledCommands: false },
  });
  clients.add(c);
  return c;
}

function nodeClient(index: number): Redis {
  const node = cluster?.nodes[index];
  if (!node) throw new Error(`no node ${index}`);
  const c = new Redis(node.port, node.host, { maxRetriesPerRequest: 1, connectTimeout: 500, retryStrategy: () => 100 });
  c.on('error', () => undefined);
  clients.add(c);
  return c;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const role = async (client: Redis) => /^role:(\w+)/m.exec(await client.info('replication'))?.[1];

describe.skipIf(!clusterNodes)('Redis Cluster with replicas (3 masters + 3 replicas)', () => {
  beforeAll(async () => {
    cluster = await startRedisCluster({ replicasPerMaster: 1, nodeTimeoutMs: NODE_TIMEOUT_MS });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([...clients].map((c) => c.quit().catch(() => c.disconnect())));
    await cluster?.stop();
  });

  describe('conformance with waitForReplicas { replicas: 1, timeoutMs: 1000 }', () => {
    describeConformance({
      name: 'redis-cluster-replicas',
      capabilities: { nativeExpiry: true },
      factory: {
        create: async (namespace, options) => new RedisSessionStore({ client: clusterClient(), keyPrefix: `${namespace}:`, waitForReplicas: WAIT, ...options }),
        inspector: (namespace) => redisInspector(clusterClient(), `${namespace}:`),
      },
    });
  });

  describe('failover of the shard that holds the writers\' sessions', () => {
    const prefix = 'failover:';
    const users: string[] = [];
    const sessions = ['s0', 's1', 's2'];
    /** Node indexes of the shard: its master and replica swap roles at each failover. */
    let shard: [number, number];
    const figures: Record<string, { on: FailoverFigures; off: FailoverFigures; promotedAfterMs: number }> = {};

    beforeAll(async () => {
      // Node 0 starts as a master (`--cluster create` takes the first nodes as masters).
      const first = nodeClient(0);
      const myId = String(await first.call('cluster', 'myid'));
      const lines = String(await first.call('cluster', 'nodes')).split('\n');
      const replicaLine = lines.find((line) => line.includes('slave') && line.includes(myId));
      const replicaPort = Number(/:(\d+)@/.exec(replicaLine ?? '')?.[1]);
      const found = cluster?.nodes.findIndex((n) => n.port === replicaPort) ?? -1;
      if (found < 0) throw new Error('node 0 has no replica');
      shard = [0, found];
      // Users whose slot node 0 serves: every write of the load goes to the shard that fails over.
      const slots = (await first.call('cluster', 'slots')) as [number, number, [string, number, string]][];
      const own = slots.filter((range) => range[2][2] === myId);
      for (let i = 0; users.length < 4; i++) {
        const slot = Number(await first.call('cluster', 'keyslot', `x{${encodeUserId(`user-${i}`)}}`));
        if (own.some(([from, to]) => slot >= from && slot <= to)) users.push(`user-${i}`);
      }
    }, 30_000);

    afterAll(() => {
      console.log(`failover figures (4 writers per mode over ${users.length * sessions.length} sessions):\n${JSON.stringify(figures, null, 1)}`);
    });

    /** Runs writers with and without the option through `fault`, which must leave the shard healthy. */
    async function scenario(name: string, fault: (master: number, replica: number) => Promise<number>): Promise<void> {
      const on = new FailoverLoad(new RedisSessionStore({ client: clusterClient(), keyPrefix: `${prefix}${name}:on:`, waitForReplicas: { replicas: 1, timeoutMs: 500 } }), users, sessions);
      const off = new FailoverLoad(new RedisSessionStore({ client: clusterClient(), keyPrefix: `${prefix}${name}:off:` }), users, sessions);
      await sleep(500);
      const [a, b] = shard;
      const master = (await role(nodeClient(a))) === 'master' ? a : b;
      const replica = master === a ? b : a;
      const promotedAfterMs = await fault(master, replica);
      await sleep(500);
      const onReader = new RedisSessionStore({ client: clusterClient(), keyPrefix: `${prefix}${name}:on:` });
      const offReader = new RedisSessionStore({ client: clusterClient(), keyPrefix: `${prefix}${name}:off:` });
      const [onFigures, offFigures] = await Promise.all([on.finish(onReader), off.finish(offReader)]);
      figures[name] = { on: onFigures, off: offFigures, promotedAfterMs };
      expect(onFigures.acknowledged).toBeGreaterThan(0);
      expect(onFigures.lost).toBe(0);
      expect(onFigures.seqsReused).toBe(0);
      expect(onFigures.doubled).toBe(0);
    }

    async function promoted(replica: number, since: number): Promise<number> {
      const client = nodeClient(replica);
      await until('the replica to be promoted', async () => (await role(client)) === 'master');
      return Date.now() - since;
    }

    it('a master SIGKILLed: its replica is promoted, the old master restarts as a replica', async () => {
      await scenario('killed', async (master, replica) => {
        const started = Date.now();
        await cluster?.killNode(master);
        const after = await promoted(replica, started);
        await cluster?.restartNode(master);
        return after;
      });
    }, 60_000);

    it('a master frozen (SIGSTOP) past cluster-node-timeout, resumed after its replica was promoted', async () => {
      await scenario('frozen', async (master, replica) => {
        const old = nodeClient(master);
        const pid = await serverPid(old);
        const started = Date.now();
        freeze(pid);
        let after: number;
        try {
          after = await promoted(replica, started);
        } finally {
          thaw(pid);
        }
        await until('the old master to follow its replica', async () => /master_link_status:up/.test(await old.info('replication')));
        return after;
      });
    }, 60_000);
  });
});
