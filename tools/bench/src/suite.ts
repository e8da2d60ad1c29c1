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
  /** The table this row belongs to, e.g. "Append, awaited one at a time". */
  scenario: string;
  /** What varies between rows of the scenario, e.g. "session length 100,000". */
  variant: string;
  /** What was measured, e.g. "RedisSessionStore.append". */
  subjectName: string;
  /** The raw-driver (or other) baseline, e.g. "ioredis RPUSH". */
  baselineName: string;
  /** The ratio the project aims for (subject ÷ baseline), if any. */
  aim?: number;
  /** What each side does per call, when worth saying. */
  note?: string;
}

/** A benchmark suite: one file in `src/suites/`, default-exported. */
export interface BenchSuite {
  /** Short name, used to pick suites on the command line (`npm run bench -- redis`). */
  name: string;
  /** The servers it needs. */
  needs: BenchService[];
  run(context: BenchContext): Promise<BenchResult[]>;
}
