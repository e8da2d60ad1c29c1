import { describe, expect, it } from 'vitest';
import { renderDocument, type RunMeta } from '../src/document.js';
import { lengthOfColumn, readColumn } from '../src/headline/columns.js';
import { measureLineup } from '../src/headline/measure-lineup.js';
import type { LineupEntry } from '../src/headline/lineups.js';
import { floorRatioTable, headlineTable } from '../src/headline/table.js';
import { readCostSeries, readCostSvg } from '../src/plot.js';
import { SCENARIOS } from '../src/scenarios.js';
import type { BenchFigures, Figure } from '../src/suite.js';

const fig = (median: number): Figure => ({ median, spread: 0.1, runs: [median, median] });

function row(variant: string, subjectName: string, role: BenchFigures['role'], medians: number[], cannot?: Record<string, string>): BenchFigures {
  const columns = ['append 1', 'last 20 of 10', 'last 20 of 1,000', 'last 20 of 10,000'];
  const figures: Record<string, Figure> = {};
  medians.forEach((m, k) => {
    const column = columns[k];
    if (column && m > 0) figures[column] = fig(m);
  });
  return { kind: 'figures', scenario: SCENARIOS.headline, variant, subjectName, role, figures, ...(cannot ? { cannot } : {}) };
}

const rows = [
  { ...row('redis', 'raw ioredis', 'floor', [10_000, 8_000, 8_000, 8_000]), note: 'raw ioredis: RPUSH.' },
  row('redis', 'LangChain', 'peer', [12_000, 8_000, 200, 0], { 'last 20 of 10,000': 'too long <for> it' }),
  row('redis', '@sessions/redis', 'store', [8_000, 8_000, 7_600, 7_200]),
];

describe('headline table', () => {
  it('has one row per subject, ours in bold, a cannot cell where the subject cannot', () => {
    const table = headlineTable(rows);
    expect(table[0]).toBe('| | append 1 | last 20 of 10 | last 20 of 1,000 | last 20 of 10,000 |');
    expect(table).toContain('| redis: **@sessions/redis** | 8,000 | 8,000 | 7,600 | 7,200 |');
    expect(table).toContain('| redis: LangChain | 12,000 | 8,000 | 200 | cannot |');
  });

  it('divides every row by its backend floor, column by column', () => {
    const table = floorRatioTable(rows);
    expect(table).toHaveLength(4); // header, rule, two non-floor rows
    expect(table).toContain('| redis: **@sessions/redis** ÷ raw ioredis | 0.80 | 1.00 | 0.95 | 0.90 |');
  });

  it('opens the document, with the plot, before how it is measured', () => {
    const meta: RunMeta = { date: '2026-01-01T00:00:00.000Z', durationSec: 60, command: 'npm run bench', quick: false, node: 'v20', os: 'Linux', cpuModel: 'CPU', cpus: 2, memoryGiB: 8, loadAverage: { start: 1, end: 1 }, suites: ['headline'] };
    const doc = renderDocument(meta, rows, { intro: 'Intro.', readings: {}, misses: '', notRun: '', headline: 'Flat is good.', round2: '## Round two' });
    expect(doc.indexOf('| redis: **@sessions/redis** |')).toBeGreaterThan(0);
    expect(doc.indexOf('| redis: **@sessions/redis** |')).toBeLessThan(doc.indexOf('Intro.'));
    expect(doc).toContain('![Time per read');
    expect(doc).not.toContain(`### ${SCENARIOS.headline}`);
    expect(doc).toContain('<details><summary>What each row does per call</summary>');
    expect(doc).toContain('- raw ioredis: RPUSH.');
  });
});

describe('read-cost plot', () => {
  it('turns the read columns into µs per read, sorted by length', () => {
    const [raw, lc] = readCostSeries(rows);
    expect(raw?.points).toEqual([
      { length: 10, micros: 125 },
      { length: 1_000, micros: 125 },
      { length: 10_000, micros: 125 },
    ]);
    expect(lc?.points.map((p) => p.length)).toEqual([10, 1_000]);
    expect(lengthOfColumn(readColumn(10_000))).toBe(10_000);
    expect(lengthOfColumn('append 1')).toBeUndefined();
  });

  it('draws one line per series, with a legend, escaped', () => {
    const svg = readCostSvg(readCostSeries([...rows, row('pg', 'A <b> & c', 'peer', [1, 1, 1, 1])]), 'T');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(4);
    expect(svg).toContain('A &lt;b&gt; &amp; c');
    expect(readCostSvg([], 'T')).toContain('no read figures');
  });
});

describe('measureLineup', () => {
  it('measures every side on every column and writes cannot where a side holds too little', async () => {
    const filled: string[] = [];
    const side = (name: string, maxLength?: number): LineupEntry => ({
      role: 'peer',
      side: {
        name,
        append: () => Promise.resolve(),
        readNewest20: () => Promise.resolve([]),
        fill: (session) => Promise.resolve(void filled.push(`${name}:${session}`)),
        ...(maxLength ? { maxLength: { length: maxLength, reason: 'one item' } } : {}),
      },
    });
    const out = await measureLineup({ backend: 'memory', entries: [side('a'), side('b', 100)], dispose: () => Promise.resolve() }, { targetMs: 2, runs: 2, opsRange: { min: 1, max: 20 } });
    expect(out.map((r) => Object.keys(r.figures).length)).toEqual([4, 2]);
    expect(out[1]?.cannot).toEqual({ 'last 20 of 1,000': 'one item', 'last 20 of 10,000': 'one item' });
    expect(filled).toEqual(['a:headline-read-10', 'b:headline-read-10', 'a:headline-read-1000', 'a:headline-read-10000']);
  });
});
