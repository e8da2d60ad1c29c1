import type { AppendResult } from '@sessions/core';
import type { OpenOptions, StoreTarget } from './targets.js';

/** What the parent tells a client process of a run through the fault proxy. */
export interface CutWorkerConfig {
  /** The store as the client process sees it: through the proxies. */
  target: StoreTarget;
  open: OpenOptions;
  process: number;
  /** Concurrent appenders in the process. */
  appenders: number;
  /** Batches each appender sends. */
  batches: number;
  /** The users written to (on a cluster their hash tags spread over the masters). */
  users: string[];
  sessionsPerUser: number;
  /** A keyed batch is sent at most this many times before the worker gives up on it. */
  maxAttempts: number;
  /** A call still unsettled after this long is recorded as `HUNG` and abandoned, ms. */
  hangMs: number;
}

/**
 * One batch a client process appended through the fault proxy, with how every attempt went.
 * A batch with a key is retried with it until acknowledged; a batch without one is sent once.
 */
export interface CutBatch {
  process: number;
  appender: number;
  batch: number;
  userId: string;
  sessionId: string;
  size: number;
  key?: string;
  /** Calls made for this batch. */
  attempts: number;
  /** The error code of each failed attempt (`raw <name>` for anything not a SessionStoreError). */
  errors: string[];
  /** The longest attempt, ms. */
  maxCallMs: number;
  /** The result of the attempt that was acknowledged, if one was. */
  result?: AppendResult;
  /** A call never settled (within the worker's `hangMs`); the batch was abandoned. */
  hung?: boolean;
}

/** The id of a batch, as its messages carry it. */
export const batchId = (b: Pick<CutBatch, 'process' | 'appender' | 'batch'>): string => `${b.process}:${b.appender}:${b.batch}`;

/** The messages of a batch: `{ p, a, b, i }` identify it and the message's place in it. */
export function batchMessages(b: Pick<CutBatch, 'process' | 'appender' | 'batch' | 'size'>): { p: number; a: number; b: number; i: number; text: string }[] {
  return Array.from({ length: b.size }, (_, i) => ({ p: b.process, a: b.appender, b: b.batch, i, text: `message ${i} of batch ${batchId(b)}` }));
}

/** The batches a client process sends, in order per appender (deterministic). */
export function cutPlan(config: Pick<CutWorkerConfig, 'process' | 'appenders' | 'batches' | 'users' | 'sessionsPerUser'>): Omit<CutBatch, 'attempts' | 'errors' | 'maxCallMs'>[][] {
  return Array.from({ length: config.appenders }, (_, appender) =>
    Array.from({ length: config.batches }, (_, batch) => {
      const spread = config.process * config.appenders + appender + batch;
      return {
        process: config.process,
        appender,
        batch,
        userId: config.users[spread % config.users.length]!,
        sessionId: `s${(batch + appender) % config.sessionsPerUser}`,
        size: 1 + ((config.process * 5 + appender * 3 + batch) % 4),
        ...(batch % 2 === 0 ? { key: `p${config.process}-a${appender}-b${batch}` } : {}),
      };
    }),
  );
}

/** Messages between a client process of the proxy run and its parent. */
export type CutWorkerReport =
  | { type: 'batches'; batches: CutBatch[] }
  | { type: 'done'; process: number }
  /** An unhandled rejection or uncaught exception: the process reports it, then exits. */
  | { type: 'crash'; process: number; error: string };
