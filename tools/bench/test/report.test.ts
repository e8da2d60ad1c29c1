import { describe, expect, it } from 'vitest';
import { renderDocument, type RunMeta } from '../src/document.js';
import { figureOf } from '../src/measure.js';
import { aimSummary, groupByScenario, toMarkdown } from '../src/report.js';
import { SCENARIOS } from '../src/scenarios.js';
import type { BenchFigures, BenchGap, BenchResult } from '../src/suite.js';

const m = { opsPerSec: 100, latencyMs: 10, spread: 0.1, runs: [95, 100, 105] };
const row = (scenario: string, ratio: number, aim?: number): BenchResult => ({
  scenario,
  variant: 'redis',
  subjectName: 'store',
  baselineName: 'raw',
  subject: m,
  baseline: m,
  ratio,
  aim,
});
const gap: BenchGap = { kind: 'gap', scenario: SCENARIOS.list, variant: 'redis', subjectName: 'LangChain X', reason: 'no listing' };
const figures: BenchFigures = {
  kind: 'figures',
  scenario: SCENARIOS.transfer,
  variant: 'redis, 1,000 messages',
  subjectName: 'importSessions',
  figures: { 'messages/s': figureOf([900, 1_000, 1_200]), 'peak heap, MB': figureOf([30, 31, 32]) },
};

describe('figureOf', () => {
  it('gives the median and the range over the median', () => {
    expect(figureOf([900, 1_200, 1_000])).toEqual({ median: 1_000, spread: 0.3, runs: [900, 1_200, 1_000] });
    expect(figureOf([0, 0]).spread).toBe(0);
  });
});

describe('groupByScenario', () => {
  it('orders tables by scenario number, whatever order the suites ran in', () => {
    const groups = groupByScenario([row(SCENARIOS.manySessions, 1), row('unknown scenario', 1), row(SCENARIOS.appendAwaited, 1), row(SCENARIOS.manySessions, 2)]);
    expect(groups.map(([name]) => name)).toEqual([SCENARIOS.appendAwaited, SCENARIOS.manySessions, 'unknown scenario']);
    expect(groups[1]?.[1]).toHaveLength(2);
  });

  it('orders a table by backend, the raw floor before the peers and the "cannot" rows', () => {
    const peer = { ...row(SCENARIOS.list, 2), variant: 'redis, vs peer', baselineName: 'LangChain X' };
    const floor = { ...row(SCENARIOS.list, 1), variant: 'redis, session length 10' };
    const pg = { ...row(SCENARIOS.list, 3), variant: 'postgres' };
    const [[, ordered] = ['', []]] = groupByScenario([pg, gap, peer, floor]);
    expect(ordered).toEqual([floor, peer, gap, pg]);
  });
});

describe('aimSummary', () => {
  it('names the furthest miss relative to its aim', () => {
    const text = aimSummary([row('s', 0.9, 0.8), row('s', 0.6, 0.7), { ...row('s', 0.5, 0.8), variant: 'postgres' }]);
    expect(text).toContain('Aim met in 1 of 3 rows');
    expect(text).toContain('(postgres) at 0.50 for an aim of 0.80');
  });

  it('is empty without aims and says so when every aim is met', () => {
    expect(aimSummary([row('s', 0.1)])).toBe('');
    expect(aimSummary([row('s', 1, 0.8)])).toBe('Every aim met (1 of 1 rows).');
  });
});

describe('toMarkdown', () => {
  it('renders a figures table with a column per figure and the median with its spread', () => {
    const md = toMarkdown([figures]);
    expect(md).toContain('| variant | subject | messages/s | peak heap, MB |');
    expect(md).toContain('| redis, 1,000 messages | importSessions | 1,000 (±15%) | 31.0 (±3%) |');
  });

  it('puts a peer that cannot do a scenario in the table as a "cannot" row', () => {
    const md = toMarkdown([row(SCENARIOS.list, 1, 0.8), gap]);
    expect(md).toContain('| redis | — | — | LangChain X | cannot: no listing | — | |');
    expect(md.match(/^### /gm)).toHaveLength(1);
  });

  it('adds a scenario\'s reading when there is one', () => {
    const md = toMarkdown([row(SCENARIOS.read, 1)], { [SCENARIOS.read]: 'Flat.' });
    expect(md).toContain('**Reading.** Flat.');
  });
});

describe('renderDocument', () => {
  const meta: RunMeta = {
    date: '2026-01-01T00:00:00.000Z',
    durationSec: 600,
    command: 'npm run bench',
    quick: false,
    node: 'v20.20.0',
    os: 'Linux 6',
    cpuModel: 'Test CPU',
    cpus: 2,
    memoryGiB: 8,
    loadAverage: { start: 12, end: 1 },
    suites: ['redis'],
  };
  const text = { intro: 'Intro.', readings: {}, misses: 'Misses.', notRun: 'Upstash: no local server.', headline: 'Flat lines are good.', round2: '## Round two' };

  it('states the command, the machine, the date and a busy machine', () => {
    const doc = renderDocument(meta, [row(SCENARIOS.read, 1)], text);
    expect(doc).toContain('Command: `npm run bench` (full sizes, 10 min)');
    expect(doc).toContain('2 × Test CPU, 8 GiB RAM, Linux 6; Node v20.20.0');
    expect(doc).toContain('Date: 2026-01-01T00:00:00.000Z');
    expect(doc).toContain('the machine was busy');
    expect(doc).toContain('Upstash: no local server.');
    expect(doc).toContain('no headline lineup');
    expect(doc.indexOf('Intro.')).toBeLessThan(doc.indexOf(`### ${SCENARIOS.read}`));
  });

  it('does not call a quiet machine busy', () => {
    expect(renderDocument({ ...meta, loadAverage: { start: 0.5, end: 1 } }, [], text)).not.toContain('busy');
  });
});
