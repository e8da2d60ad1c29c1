import { randomBytes } from 'node:crypto';
import { requireService } from '@sessions/test-services';
import { afterAll, describe, expect, it } from 'vitest';
import { HOSTILE_IDS } from '../src/hostile-ids.js';
import { HOSTILE_MESSAGES } from '../src/hostile-messages.js';
import { runHostileCorpus } from '../src/hostile-run.js';
import { countRawRecords, dropTarget, prepareTarget } from '../src/raw-records.js';
import { openStore, type BackendName, type StoreTarget } from '../src/targets.js';

const backends: { backend: BackendName; service?: 'redis' | 'cluster' | 'postgres' | 'dynamo' }[] = [
  { backend: 'memory' },
  { backend: 'redis', service: 'redis' },
  { backend: 'cluster', service: 'cluster' },
  { backend: 'postgres', service: 'postgres' },
  { backend: 'dynamo', service: 'dynamo' },
];

const targets: StoreTarget[] = [];
afterAll(async () => {
  await Promise.all(targets.map((t) => dropTarget(t)));
});

describe('the hostile corpus', () => {
  it('holds ids and messages on both sides of every rule', () => {
    expect(HOSTILE_IDS.filter((id) => id.legal).length).toBeGreaterThan(30);
    expect(HOSTILE_IDS.filter((id) => !id.legal).length).toBeGreaterThan(10);
    expect(HOSTILE_MESSAGES.map((m) => m.expected)).toEqual(expect.arrayContaining(['stored', 'INVALID_ARGUMENT', 'TOO_LARGE']));
  });
});

// The backends run side by side: the corpus waits on the servers, not on this process.
describe.concurrent.each(backends)('$backend: hostile ids and messages', ({ backend, service }) => {
  const address = service ? requireService(service) : '';
  it.skipIf(address === undefined)('stores each input exactly or rejects it with nothing written, and never reaches another user', async () => {
    const target: StoreTarget = { backend, address: address!, namespace: `rel_hostile_${randomBytes(4).toString('hex')}` };
    targets.push(target);
    await prepareTarget(target);
    const store = await openStore(target);
    try {
      const outcome = await runHostileCorpus(store, () => countRawRecords(target));
      expect(outcome.problems).toEqual([]);
      expect(outcome.tried).toBe(2 * (HOSTILE_IDS.length + HOSTILE_MESSAGES.length));
      expect(outcome.accepted + outcome.rejected).toBe(outcome.tried);
      process.stdout.write(`[reliability] ${backend}: ${outcome.tried} hostile inputs, ${outcome.accepted} stored exactly, ${outcome.rejected} rejected cleanly\n`);
    } finally {
      await store.close();
    }
  }, 300_000);
});
