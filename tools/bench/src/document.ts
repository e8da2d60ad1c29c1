import { toMarkdown } from './report.js';
import type { BenchRow } from './suite.js';

/** Where and how a bench run happened: printed above the tables and stored with the figures. */
export interface RunMeta {
  /** ISO 8601 start of the run. */
  date: string;
  /** Wall time of the whole run, seconds. */
  durationSec: number;
  /** The exact command that produced the figures. */
  command: string;
  quick: boolean;
  node: string;
  os: string;
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  /** 1-minute load average at the start and the end of the run. */
  loadAverage: { start: number; end: number };
  /** Suites run, in order. */
  suites: string[];
  /** Suites that failed part-way (their rows are missing), with the error's message. */
  failures?: { suite: string; error: string }[];
}

/** Hand-written text around the generated tables (see `readings.ts`). */
export interface DocumentText {
  /** Paragraphs after the title: what is measured and how to read a ratio. */
  intro: string;
  /** Per scenario name: a short reading of its table. */
  readings: Record<string, string>;
  /** Closing section: where the aims are missed, why, and what would close the gap. */
  misses: string;
  /** Peers that could not be run, and why. */
  notRun: string;
}

/** The whole `docs/performance.md`: intro, machine facts, every table with its reading, the misses. */
export function renderDocument(meta: RunMeta, rows: BenchRow[], text: DocumentText): string {
  const load = `${meta.loadAverage.start.toFixed(1)} at the start, ${meta.loadAverage.end.toFixed(1)} at the end`;
  const busy = Math.max(meta.loadAverage.start, meta.loadAverage.end) > meta.cpus * 1.5;
  return [
    '# Performance',
    '',
    text.intro,
    '',
    '## This run',
    '',
    `- Command: \`${meta.command}\` (${meta.quick ? 'quick sizes' : 'full sizes'}, ${Math.round(meta.durationSec / 60)} min)`,
    `- Date: ${meta.date}`,
    `- Machine: ${meta.cpus} × ${meta.cpuModel}, ${meta.memoryGiB} GiB RAM, ${meta.os}; Node ${meta.node}`,
    `- Load average (1 min): ${load}${busy ? ' — the machine was busy with other work: absolute figures are low and noisy; the same-run ratios hold up better' : ''}`,
    `- Suites: ${meta.suites.join(', ')}`,
    ...(meta.failures ?? []).map((f) => `- **Suite ${f.suite} failed** (its rows are missing): ${f.error}`),
    `- Raw figures (each run, median, spread): [performance.json](performance.json)`,
    '',
    '## Peers not run',
    '',
    text.notRun,
    '',
    '## Results',
    '',
    toMarkdown(rows, text.readings),
    '## Where the aims are missed, and what would close the gap',
    '',
    text.misses,
    '',
  ].join('\n');
}
