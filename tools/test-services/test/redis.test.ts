import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPortFree } from '../src/free-port.js';
import { clusterHealthy, redisCli, redisPing } from '../src/redis-cli.js';
import { startRedisCluster } from '../src/redis-cluster.js';
import { startRedis } from '../src/redis-server.js';
import { isDown } from './helpers.js';

describe('startRedis', () => {
  it('starts a memory-only server that answers PING, survives kill/restart on the same port, and frees the port on stop', async () => {
    const redis = await startRedis();
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(await redisPing(redis.port)).toBe(true);
      expect((await redisCli(redis.port, ['config', 'get', 'save'])).split('\n')[1]).toBe('');
      expect((await redisCli(redis.port, ['config', 'get', 'appendonly'])).split('\n')[1]).toBe('no');
      await redisCli(redis.port, ['set', 'k', 'v']);

      await redis.kill();
      expect(await isDown(() => redisPing(redis.port))).toBe(true);
      await redis.restart();
      expect(await redisPing(redis.port)).toBe(true);
      // No persistence: a restarted server is empty.
      expect((await redisCli(redis.port, ['exists', 'k'])).trim()).toBe('0');
    } finally {
      await redis.stop();
    }
    expect(await isPortFree(redis.port)).toBe(true);
    expect(existsSync(redis.dir)).toBe(false);
    await redis.stop(); // idempotent
  });

  it('gives two servers two different ports', async () => {
    const [a, b] = await Promise.all([startRedis(), startRedis()]);
    try {
      expect(a.port).not.toBe(b.port);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('startRedisCluster', () => {
  it('starts 3 masters covering every slot; one node can be killed and restarted; stop frees every port', async () => {
    const cluster = await startRedisCluster();
    const ports = cluster.nodes.map((n) => n.port);
    try {
      expect(ports).toHaveLength(3);
      expect(cluster.nodesEnv).toBe(ports.map((p) => `127.0.0.1:${p}`).join(','));
      for (const port of ports) expect(await clusterHealthy(port, 3)).toBe(true);
      const [first = 0, second = 0] = ports;
      expect(await redisCli(first, ['cluster', 'shards'])).toContain('master');
      // -c follows MOVED redirects: a key lands on whichever master owns its slot.
      await redisCli(first, ['-c', 'set', 'some-key', 'v']);
      expect((await redisCli(second, ['-c', 'get', 'some-key'])).trim()).toBe('v');

      await cluster.killNode(1);
      expect(await isDown(() => redisPing(second))).toBe(true);
      await cluster.restartNode(1);
      for (const port of ports) expect(await clusterHealthy(port, 3)).toBe(true);
    } finally {
      await cluster.stop();
    }
    for (const port of ports) expect(await isPortFree(port)).toBe(true);
    expect(existsSync(cluster.dir)).toBe(false);
  });
});
