import { describe, expect, it } from 'vitest';
import { attempt } from '../src/attempt.js';
import { toMarkdown } from '../src/report.js';
import { SCENARIOS } from '../src/scenarios.js';

const where = { scenario: SCENARIOS.appendInFlight, variant: 'dynamo', subjectName: 'DynamoSessionStore.append' };

describe('attempt', () => {
  it('returns the measured row when the measurement succeeds', async () => {
    const m = { opsPerSec: 1, latencyMs: 1, spread: 0, runs: [1] };
    const row = { ...where, baselineName: 'b', subject: m, baseline: m, ratio: 1 };
    expect(await attempt(where, () => Promise.resolve(row))).toBe(row);
  });

  it('turns a failure into a row that the table shows as failed', async () => {
    const row = await attempt(where, () => Promise.reject(new TypeError('gave up after 8 retries')));
    expect(row).toEqual({ kind: 'gap', ...where, reason: 'failed: TypeError: gave up after 8 retries' });
    expect(toMarkdown([row])).toContain('| DynamoSessionStore.append | failed: TypeError: gave up after 8 retries |');
  });
});
