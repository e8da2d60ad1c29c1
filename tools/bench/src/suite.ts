import type { Comparison } from './measure.js';

/** Servers a suite needs; the runner starts them (or uses the `SESSIONS_*` env vars). */
export type BenchService = 'redis' | 'cluster' | 'postgres' | 'dynamo';

/** What a suite gets from the runner. */
export interface BenchContext {
  /** Smaller sizes and fewer runs (`--quick`), for a smoke run. */
  quick: boolean;
  redisUrl?: string;
  /** host:port of each cluster master. */
  clusterNodes?: string[];
  postgresUrl?: string;
  dynamoEndpoint?: string;
}

/** One row of a results table: a subject against its baseline in one scenario. */
export interface BenchResult extends Comparison {
  /** The table this row belongs to, e.g. "Append, awaited one at a time" (see `scenarios.ts`). */
  scenario: string;
  /** What varies between rows of the scenario, e.g. "session length 100,000". */
  variant: string;
  /** What was measured, e.g. "RedisSessionStore.append". */
  subjectName: string;
  /** The raw-driver (or peer) baseline, e.g. "ioredis RPUSH". */
  baselineName: string;
  /** The ratio the project aims for (subject ÷ baseline), if any. */
  aim?: number;
  /** What each side does per call, when worth saying. */
  note?: string;
}

/** One figure measured over several runs: the median and how much the runs disagree. */
export interface Figure {
  /** Median over the runs. */
  median: number;
  /** (max − min) ÷ median. */
  spread: number;
  /** Each run's value, in run order. */
  runs: number[];
}

/** What a headline row is: the raw-driver floor, a peer library, or one of our stores. */
export type HeadlineRole = 'floor' | 'peer' | 'store';

/**
 * A row of absolute figures where no same-run ratio applies (export/import throughput and
 * peak memory): each named figure with its unit.
 */
export interface BenchFigures {
  kind: 'figures';
  scenario: string;
  variant: string;
  subjectName: string;
  /** Column name (with its unit, e.g. "messages/s") → figure. */
  figures: Record<string, Figure>;
  note?: string;
  /** In the headline: what the row is (its ratios are taken against the backend's floor). */
  role?: HeadlineRole;
  /** Columns the subject cannot do at all → why (e.g. a history longer than one item holds). */
  cannot?: Record<string, string>;
}

/** A scenario a peer library cannot do at all (no listing, no paging): the table says so. */
export interface BenchGap {
  kind: 'gap';
  scenario: string;
  variant: string;
  /** The library that cannot do it, e.g. "LangChain RedisChatMessageHistory". */
  subjectName: string;
  /** Why, e.g. "no listing of a user's sessions". */
  reason: string;
  note?: string;
}

/** Any row a suite returns. A row without `kind` is a {@link BenchResult} (a ratio). */
export type BenchRow = BenchResult | BenchFigures | BenchGap;

/** Whether a row is a same-run comparison. */
export function isComparison(row: BenchRow): row is BenchResult {
  return !('kind' in row);
}

/** A benchmark suite: one file in `src/suites/`, default-exported. */
export interface BenchSuite {
  /** Short name, used to pick suites on the command line (`npm run bench -- redis`). */
  name: string;
  /** The servers it needs. */
  needs: BenchService[];
  run(context: BenchContext): Promise<BenchRow[]>;
}
