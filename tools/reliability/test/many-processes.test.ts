import { randomBytes } from 'node:crypto';
import { requireService } from '@sessions/test-services';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLogs, readLogs } from '../src/check-logs.js';
import { dropTarget, prepareTarget } from '../src/raw-records.js';
import { runWorkers } from '../src/run-workers.js';
import { openStore, type BackendName, type StoreTarget } from '../src/targets.js';
import { WORKLOAD_USER, workloadSessions } from '../src/workload.js';

const WORKERS = 8;
// The full run (docs/reliability.md) uses 2,000 per worker; CI keeps the suite within minutes
// on two shared cores. RELIABILITY_MESSAGES overrides both.
const perWorker = (backend: BackendName): number => {
  const override = Number(process.env['RELIABILITY_MESSAGES']);
  if (override > 0) return override;
  return backend === 'dynamo' ? 40 : 150;
};

const backends: { backend: BackendName; service: 'redis' | 'cluster' | 'postgres' | 'dynamo' }[] = [
  { backend: 'redis', service: 'redis' },
  { backend: 'cluster', service: 'cluster' },
  { backend: 'postgres', service: 'postgres' },
  { backend: 'dynamo', service: 'dynamo' },
];

const targets: StoreTarget[] = [];
afterAll(async () => {
  await Promise.all(targets.map((t) => dropTarget(t)));
});

// The four backends run side by side: a run mostly waits on its server (DynamoDB Local most of
// all), so together they take little longer than the slowest alone.
describe.concurrent.each(backends)('$backend: 8 processes appending to shared sessions', ({ backend, service }) => {
  const address = requireService(service);
  it.skipIf(!address)('keeps every acknowledged message exactly once, in each writer\'s order', async () => {
    const target: StoreTarget = { backend, address: address!, namespace: `rel_many_${randomBytes(4).toString('hex')}` };
    targets.push(target);
    await prepareTarget(target);
    const messages = perWorker(backend);

    const outcome = await runWorkers({ target, workers: WORKERS, messagesPerWorker: messages });
    expect(outcome.failures).toEqual([]);

    const store = await openStore(target);
    try {
      const check = checkLogs(outcome.acks, await readLogs(store, WORKLOAD_USER, workloadSessions()));
      expect(check.problems).toEqual([]);
      expect(check.acknowledgedMessages).toBe(WORKERS * messages);
      expect(check.storedMessages).toBe(WORKERS * messages);
      expect(check.retriedCalls).toBeGreaterThan(0);
      process.stdout.write(
        `[reliability] ${backend}: ${WORKERS} processes x ${messages} messages, ${check.acknowledgedCalls} acknowledged calls ` +
          `(${outcome.calls} sent, ${outcome.conflictRetries} CONFLICT and ${outcome.unavailableRetries} keyed UNAVAILABLE retries), ${check.retriedCalls} deliberate retries, ` +
          `${check.storedMessages} stored, ${check.problems.length} problems, ${outcome.elapsedMs} ms\n`,
      );
    } finally {
      await store.close();
    }
  }, 600_000);
});
