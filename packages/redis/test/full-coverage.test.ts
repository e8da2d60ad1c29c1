import { setTimeout as sleep } from 'node:timers/promises';
import { encodeUserId, RedisSessionStore } from '@sessions/redis';
import { startRedisCluster } from '@sessions/test-services';
import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';

/**
 * The README's figures for `cluster-require-full-coverage`: how long writers on the two healthy
 * shards go without an acknowledgement while the third shard's master is SIGKILLed and replaced.
 * Two clusters of 6 nodes and a failover each (about 25 s), so it runs only when asked:
 * `SESSIONS_REDIS_EXPERIMENTS=1 npx vitest run test/full-coverage.test.ts`.
 */
describe.runIf(process.env.SESSIONS_REDIS_EXPERIMENTS === '1')('cluster-require-full-coverage during a failover', () => {
  for (const coverage of ['yes', 'no']) {
    it(`writers on the healthy shards, cluster-require-full-coverage ${coverage}`, async () => {
      const cluster = await startRedisCluster({ replicasPerMaster: 1, nodeTimeoutMs: 1000, extraArgs: ['--cluster-require-full-coverage', coverage] });
      const client = new Cluster(cluster.nodes, {
        retryDelayOnFailover: 0,
        redisOptions: { maxRetriesPerRequest: 1, connectTimeout: 500, autoResendUnfulfilledCommands: false },
      });
      const [victim] = cluster.nodes;
      if (!victim) throw new Error('no node');
      const first = new Redis(victim.port, victim.host);
      try {
        const victimId = String(await first.call('cluster', 'myid'));
        const slots = (await first.call('cluster', 'slots')) as [number, number, [string, number, string]][];
        const victimSlots = slots.filter((range) => range[2][2] === victimId);
        const users: string[] = [];
        for (let i = 0; users.length < 4; i++) {
          const slot = Number(await first.call('cluster', 'keyslot', `x{${encodeUserId(`user-${i}`)}}`));
          if (!victimSlots.some(([from, to]) => slot >= from && slot <= to)) users.push(`user-${i}`);
        }
        const store = new RedisSessionStore({ client, keyPrefix: 'coverage:' });
        let stop = false;
        let lastAck = Date.now();
        let longestGap = 0;
        let failed = 0;
        const writers = users.map(async (user) => {
          while (!stop) {
            try {
              await store.append(user, 's', { role: 'user', content: 'x' });
              const now = Date.now();
              longestGap = Math.max(longestGap, now - lastAck);
              lastAck = now;
            } catch {
              failed++;
              await sleep(20);
            }
          }
        });
        await sleep(500);
        await cluster.killNode(0);
        await sleep(4000);
        stop = true;
        await Promise.all(writers);
        console.log(`cluster-require-full-coverage ${coverage}: longest time without an acknowledgement on the healthy shards ${longestGap} ms, ${failed} failed calls`);
        expect(longestGap).toBeGreaterThan(0);
      } finally {
        client.disconnect();
        first.disconnect();
        await cluster.stop();
      }
    }, 60_000);
  }
});
