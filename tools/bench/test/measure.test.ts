import { describe, expect, it } from 'vitest';
import { compare, kilobyteMessage, lineup, measure } from '../src/measure.js';
import { toMarkdown } from '../src/report.js';
import type { BenchResult } from '../src/suite.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('measure', () => {
  it('counts every operation and keeps the concurrency limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen = new Set<number>();
    const result = await measure(
      async (i) => {
        seen.add(i);
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(1);
        inFlight--;
      },
      { ops: 20, runs: 3, warmup: 4, concurrency: 4 },
    );
    expect(peak).toBe(4);
    expect(seen.size).toBe(4 + 3 * 20); // warmup + runs, every index distinct
    expect(result.runs).toHaveLength(3);
    expect(result.opsPerSec).toBeGreaterThan(0);
    expect(result.spread).toBeGreaterThanOrEqual(0);
  });
});

describe('compare', () => {
  it('reports a ratio below 1 for a subject that does more work than its baseline', async () => {
    const result = await compare(() => sleep(6), () => sleep(1), { ops: 10, runs: 3 });
    expect(result.ratio).toBeLessThan(0.8);
    expect(result.ratio).toBeCloseTo(result.subject.opsPerSec / result.baseline.opsPerSec, 10);
  });
});

describe('kilobyteMessage', () => {
  it('encodes to about 1 KB of JSON', () => {
    const bytes = Buffer.byteLength(JSON.stringify(kilobyteMessage(7)));
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThan(1100);
  });
});

describe('toMarkdown', () => {
  it('renders one table per scenario and marks missed aims', () => {
    const m = { opsPerSec: 100, latencyMs: 10, spread: 0.1, runs: [100] };
    const rows: BenchResult[] = [
      { scenario: 'Append', variant: 'len 10', subjectName: 's', baselineName: 'b', subject: m, baseline: m, ratio: 1, aim: 0.7 },
      { scenario: 'Read', variant: 'len 10', subjectName: 's', baselineName: 'b', subject: m, baseline: m, ratio: 0.5, aim: 0.8 },
    ];
    const md = toMarkdown(rows);
    expect(md.match(/^### /gm)).toHaveLength(2);
    expect(md).toContain('1.00 ✓');
    expect(md).toContain('0.50 ✗');
  });
});

describe('lineup', () => {
  it('calibrates each side to the target and measures every side in each round', async () => {
    const calls = [0, 0];
    const [fast, slow] = await lineup(
      [
        async () => void calls[0]!++,
        async () => {
          calls[1]!++;
          await sleep(5);
        },
      ],
      { targetMs: 30, runs: 3, opsRange: { min: 2, max: 200 } },
    );
    expect(fast?.runs).toHaveLength(3);
    expect(slow?.runs).toHaveLength(3);
    expect(fast!.opsPerSec).toBeGreaterThan(slow!.opsPerSec);
    // The slow side runs a handful of ops per run, not the fast side's hundreds.
    expect(calls[1]).toBeLessThan(40);
  });
});
