import { cannotLines, failureLines, floorRatioTable, perCallDetails, headlineRows, headlineTable, largestSpread } from './headline/table.js';
import { fmt, toMarkdown } from './report.js';
import { SCENARIOS } from './scenarios.js';
import type { BenchRow } from './suite.js';

/** The plot's file name, next to the document. */
export const PLOT_FILE = 'performance-read-cost.svg';

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
  /**
   * When the document joins this run's rows to the rows of an earlier run (a subset run over a
   * full one), the earlier run: its rows are the tables this run did not measure.
   */
  previousRun?: { command: string; date: string; durationSec: number; suites: string[] };
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
  /** A short reading of the headline table and plot (what to look at). */
  headline: string;
  /** Figures of the 0.2 round measured by the scripts and suites outside this run, with their commands. */
  round2: string;
}

/** The opening of the document: the headline table, the plot, and the same rows over the raw floors. */
function headlineSection(meta: RunMeta, rows: BenchRow[], text: DocumentText): string[] {
  const headline = headlineRows(rows);
  if (headline.length === 0) {
    return ['_The run below has no headline lineup (every store, raw driver and peer in one table, with the read-cost plot): `npm run bench` (or `npm run bench -- headline`) measures it._', ''];
  }
  return [
    `Operations per second, higher is better: append one 1 KB message (awaited), and read the newest 20 messages of a session holding 10, 1,000 or 10,000 (\`${meta.command}\`, ${meta.date.slice(0, 10)}, ${meta.cpus} × ${meta.cpuModel}, Node ${meta.node}${meta.quick ? '; **quick sizes: smoke-test figures, not for comparison**' : ''}). Each figure is the median of the interleaved runs of one lineup per backend (every row of a backend measured in the same rounds, runs up to ±${fmt(largestSpread(headline) * 50)}% around it); our stores in bold.`,
    '',
    ...headlineTable(headline),
    '',
    ...cannotLines(headline),
    ...failureLines(rows),
    ...(cannotLines(headline).length + failureLines(rows).length ? [''] : []),
    `![Time per read of the newest 20 messages against the number of messages in the session, every store and peer](${PLOT_FILE})`,
    '',
    text.headline,
    '',
    'The same rows over the raw driver of their backend (1.00 = as fast as the floor; above 1 for a peer row means the peer is faster than the raw driver, below 1 is its cost):',
    '',
    ...floorRatioTable(headline),
    '',
    ...perCallDetails(headline),
  ];
}

/** The whole `docs/performance.md`: intro, machine facts, every table with its reading, the misses. */
export function renderDocument(meta: RunMeta, rows: BenchRow[], text: DocumentText): string {
  const load = `${meta.loadAverage.start.toFixed(1)} at the start, ${meta.loadAverage.end.toFixed(1)} at the end`;
  const busy = Math.max(meta.loadAverage.start, meta.loadAverage.end) > meta.cpus * 1.5;
  const rest = rows.filter((r) => r.scenario !== SCENARIOS.headline);
  return [
    '# Performance',
    '',
    ...headlineSection(meta, rows, text),
    text.round2,
    '',
    '## How this is measured',
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
    ...(meta.previousRun
      ? [
          `- **Two runs.** The headline lineup comes from \`${meta.command}\` (${meta.date.slice(0, 10)}); the tables of ${meta.previousRun.suites.join(', ')} below come from the earlier full run \`${meta.previousRun.command}\` (${meta.previousRun.date.slice(0, 10)}, ${Math.round(meta.previousRun.durationSec / 60)} min), which measured the 0.1 stores; the next full run replaces them.`,
        ]
      : []),
    ...(meta.failures ?? []).map((f) => `- **Suite ${f.suite} failed** (its rows are missing): ${f.error}`),
    `- Raw figures (each run, median, spread): [performance.json](performance.json)`,
    '',
    '## Peers not run',
    '',
    text.notRun,
    '',
    '## Results',
    '',
    toMarkdown(rest, text.readings),
    '## Where the aims are missed, and what would close the gap',
    '',
    text.misses,
    '',
  ].join('\n');
}
