import type { SessionStore } from '@sessions/core';
import { startRedis, type RedisHandle } from '@sessions/test-services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFaultScenario } from '../src/fault-scenario.js';
import { openStore, type StoreTarget } from '../src/targets.js';

// A dedicated server (never the shared one), with an append-only file so acknowledged writes
// survive the SIGKILL: the test can then demand that nothing acknowledged is lost.
const PERSISTENT = ['--appendonly', 'yes', '--appendfsync', 'always'];
const MAX_CALL_MS = 15_000;

describe('Redis: server killed and restarted under appenders', () => {
  let server: RedisHandle;
  const stores: SessionStore[] = [];
  beforeAll(async () => {
    server = await startRedis({ extraArgs: PERSISTENT });
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await server?.stop();
  });
  const open = async (namespace: string, redis?: { commandTimeout: number }) => {
    const target: StoreTarget = { backend: 'redis', address: server.url, namespace };
    const store = await openStore(target, { bounded: true, ...(redis ? { redis } : {}) });
    stores.push(store);
    return store;
  };

  it('fails calls with UNAVAILABLE in bounded time, recovers without a new store, loses and doubles nothing', async () => {
    const store = await open('faults');
    const outcome = await runFaultScenario(store, server, { maxCallMs: MAX_CALL_MS });
    process.stdout.write(`[reliability] redis kill/restart: ${JSON.stringify({ ...outcome, problems: outcome.problems.length })}\n`);
    expect(outcome.problems).toEqual([]);
    expect(outcome.failedDuringOutage).toBeGreaterThan(0);
    expect(outcome.acknowledgedAfterRestart).toBeGreaterThan(0);
    expect(outcome.maxCallMs).toBeLessThan(MAX_CALL_MS);
  });

  it('a call that timed out on the client is applied whole or not at all, and its retry with the same key does not double it', async () => {
    const store = await open('timeouts', { commandTimeout: 300 });
    const admin = new Redis(server.url);
    try {
      // The server holds every client's commands for 2 s: the store's call times out first.
      await admin.client('PAUSE', 2000, 'ALL');
      const started = Date.now();
      const error = await store.append('u', 's', [{ n: 0 }, { n: 1 }, { n: 2 }], { idempotencyKey: 'k' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(2000);
      await new Promise((resolve) => setTimeout(resolve, 2500));
      // ioredis sent the command before giving up on it: once the pause ends it may run. It runs whole.
      const landed = (await store.getMessages('u', 's')).length;
      expect([0, 3]).toContain(landed);
      const retry = await store.append('u', 's', [{ n: 0 }, { n: 1 }, { n: 2 }], { idempotencyKey: 'k' });
      expect(retry.duplicate).toBe(landed === 3);
      expect((await store.getMessages('u', 's')).map((m) => m.message)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
      process.stdout.write(`[reliability] redis client timeout: the timed-out call ${landed === 3 ? 'was applied (whole)' : 'was not applied'}; the keyed retry ${retry.duplicate ? 'returned duplicate' : 'wrote it once'}\n`);
    } finally {
      admin.disconnect();
    }
  });
});
