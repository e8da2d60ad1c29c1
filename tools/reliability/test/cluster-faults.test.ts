import type { SessionStore } from '@sessions/core';
import { startRedisCluster, type RedisClusterHandle } from '@sessions/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFaultScenario } from '../src/fault-scenario.js';
import { openStore } from '../src/targets.js';

const MAX_CALL_MS = 15_000;
const KILLED_NODE = 1;

describe('Redis Cluster: one master killed and restarted under appenders', () => {
  let cluster: RedisClusterHandle;
  let store: SessionStore | undefined;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
  });

  it('fails calls with UNAVAILABLE in bounded time, recovers without a new store, writes no half batch and doubles nothing', async () => {
    store = await openStore({ backend: 'cluster', address: cluster.nodesEnv, namespace: 'faults' }, { bounded: true });
    const outcome = await runFaultScenario(
      store,
      { kill: () => cluster.killNode(KILLED_NODE), restart: () => cluster.restartNode(KILLED_NODE) },
      // The harness's cluster nodes keep no data: the killed master comes back empty, so the
      // sessions it held lose what was acknowledged before the kill (counted, not hidden).
      { maxCallMs: MAX_CALL_MS, serverLosesData: true, users: ['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'] },
    );
    process.stdout.write(`[reliability] cluster node kill/restart: ${JSON.stringify({ ...outcome, problems: outcome.problems.length })}\n`);
    expect(outcome.problems).toEqual([]);
    expect(outcome.failedDuringOutage).toBeGreaterThan(0);
    expect(outcome.acknowledgedAfterRestart).toBeGreaterThan(0);
  });
});
