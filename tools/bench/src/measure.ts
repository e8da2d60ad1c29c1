/** The figures of one measured operation: throughput over several runs. */
export interface Measurement {
  /** Median throughput over the runs, operations per second. */
  opsPerSec: number;
  /** Median latency of one operation in ms (wall time of a run ÷ ops × concurrency). */
  latencyMs: number;
  /** (max − min) ÷ median of the per-run throughputs: how much the runs disagree. */
  spread: number;
  /** Throughput of each run, ops/s, in run order. */
  runs: number[];
}

/** How to measure an operation. */
export interface MeasureOptions {
  /** Operations per run. */
  ops: number;
  /** Measured runs (the median is reported). @default 5 */
  runs?: number;
  /** Operations run before measuring, to warm caches, JIT and connections. @default ops / 5 */
  warmup?: number;
  /** Operations in flight at once. @default 1 (each awaited before the next) */
  concurrency?: number;
}

/** An operation to measure; `i` is the operation's index within the run. */
export type Operation = (i: number) => Promise<unknown>;

/** Runs `ops` operations with `concurrency` in flight; returns the wall time in ms. */
async function timedRun(op: Operation, ops: number, concurrency: number, offset: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < ops) {
      const i = next++;
      await op(offset + i);
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, ops) }, worker));
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const at = (i: number) => sorted[i] ?? Number.NaN;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

function summarize(runsMs: number[], ops: number, concurrency: number): Measurement {
  const runs = runsMs.map((ms) => (ops / ms) * 1000);
  const opsPerSec = median(runs);
  return {
    opsPerSec,
    latencyMs: (1000 / opsPerSec) * concurrency,
    spread: (Math.max(...runs) - Math.min(...runs)) / opsPerSec,
    runs,
  };
}

/** Measures one operation on its own. */
export async function measure(op: Operation, options: MeasureOptions): Promise<Measurement> {
  const { ops, runs = 5, concurrency = 1 } = options;
  await timedRun(op, options.warmup ?? Math.ceil(ops / 5), concurrency, 0);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) times.push(await timedRun(op, ops, concurrency, (r + 1) * ops));
  return summarize(times, ops, concurrency);
}

/** A subject and its baseline measured in the same process, runs interleaved. */
export interface Comparison {
  subject: Measurement;
  baseline: Measurement;
  /** subject throughput ÷ baseline throughput: 1 means as fast as the baseline, 0.8 means 80 % of it. */
  ratio: number;
}

/**
 * Measures `subject` against `baseline` with their runs interleaved (subject, baseline,
 * subject, ...), so drift of the machine (another process, a GC, the server's caches) hits
 * both alike. The ratio is what a benchmark reports; raw numbers vary from machine to machine.
 */
export async function compare(subject: Operation, baseline: Operation, options: MeasureOptions): Promise<Comparison> {
  const { ops, runs = 5, concurrency = 1 } = options;
  const warmup = options.warmup ?? Math.ceil(ops / 5);
  await timedRun(baseline, warmup, concurrency, 0);
  await timedRun(subject, warmup, concurrency, 0);
  const subjectMs: number[] = [];
  const baselineMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    const offset = (r + 1) * ops;
    // Alternate which goes first so neither always runs on a warmer server.
    if (r % 2 === 0) {
      subjectMs.push(await timedRun(subject, ops, concurrency, offset));
      baselineMs.push(await timedRun(baseline, ops, concurrency, offset));
    } else {
      baselineMs.push(await timedRun(baseline, ops, concurrency, offset));
      subjectMs.push(await timedRun(subject, ops, concurrency, offset));
    }
  }
  const s = summarize(subjectMs, ops, concurrency);
  const b = summarize(baselineMs, ops, concurrency);
  return { subject: s, baseline: b, ratio: s.opsPerSec / b.opsPerSec };
}

/** How to measure a lineup: each side's run lasts about `targetMs`, whatever its speed. */
export interface LineupOptions {
  /** Wall time one side's run aims at, ms: the side's op count is calibrated to it. */
  targetMs: number;
  /** Measured runs per side (the median is reported). @default 3 */
  runs?: number;
  /** Fewest and most operations in one run. @default { min: 3, max: 5_000 } */
  opsRange?: { min: number; max: number };
}

/** The calibrated op count of one side: how many of its operations fill `targetMs`. */
async function calibrate(op: Operation, options: LineupOptions): Promise<number> {
  const { min, max } = options.opsRange ?? { min: 3, max: 5_000 };
  // A few timed calls, growing until they take a tenth of the target: fast sides are not
  // judged on their first (cold) call alone, slow ones are not called many times for nothing.
  let calls = 1;
  let ms = await timedRun(op, calls, 1, 0);
  while (ms < options.targetMs / 10 && calls < max) {
    calls *= 4;
    ms = await timedRun(op, calls, 1, 0);
  }
  const perOp = ms / calls;
  return Math.max(min, Math.min(max, Math.round(options.targetMs / Math.max(perOp, 1e-3))));
}

/**
 * Measures several sides of one scenario (a raw driver, peers, our stores) in one lineup:
 * each side's op count is calibrated so that a run lasts about `targetMs`, then the runs go
 * round-robin (side 1, side 2, ..., side 1, ...), the order rotating each round, so drift of
 * the machine hits every side alike. Returns one measurement per side, in the given order.
 */
export async function lineup(sides: Operation[], options: LineupOptions): Promise<Measurement[]> {
  const runs = options.runs ?? 3;
  const counts: number[] = [];
  for (const op of sides) counts.push(await calibrate(op, options));
  const times: number[][] = sides.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (let k = 0; k < sides.length; k++) {
      const s = (k + r) % sides.length;
      const ops = counts[s] ?? 1;
      times[s]?.push(await timedRun(sides[s] ?? (() => Promise.resolve()), ops, 1, (r + 1) * ops));
    }
  }
  return times.map((ms, s) => summarize(ms, counts[s] ?? 1, 1));
}

/** A 1 KB JSON chat message (the benchmarks' standard payload), distinct per `i`. */
export function kilobyteMessage(i: number): { role: string; content: string; n: number } {
  const filler = 'lorem ipsum dolor sit amet '.repeat(37).slice(0, 980);
  return { role: i % 2 ? 'assistant' : 'user', content: filler, n: i };
}

/** The median of `values` and their spread ((max − min) ÷ median), for figures that are not ratios. */
export function figureOf(values: number[]): { median: number; spread: number; runs: number[] } {
  const m = median(values);
  return { median: m, spread: m === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / m, runs: [...values] };
}
