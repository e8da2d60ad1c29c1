import { checkCutLog, readCutLogs, type CutCheck } from './check-cut-log.js';
import type { CutWorkerConfig } from './cut-workload.js';
import type { FaultProxyStats, FaultRates } from './fault-proxy.js';
import { proxyTarget } from './proxied-target.js';
import { runCutWorkers } from './run-cut-workers.js';
import { openStore, type OpenOptions, type StoreTarget } from './targets.js';

/** Options of {@link runCutScenario}. */
export interface CutScenarioOptions {
  /** The server (its namespace prepared); the client processes reach it through proxies. */
  target: StoreTarget;
  rates: FaultRates;
  processes: number;
  appendersPerProcess: number;
  batchesPerAppender: number;
  /** @default six users */
  users?: string[];
  /** @default 2 */
  sessionsPerUser?: number;
  /** Longest a single call may take, ms. */
  maxCallMs: number;
  /** A call unsettled after this long counts as hung, ms. @default 60000 */
  hangMs?: number;
  /** How the client processes open the store (besides what the proxies need). */
  open?: OpenOptions;
  seed?: number;
}

/** The check of the server's data, the proxies' counts and the client processes' failures. */
export interface CutScenarioOutcome extends CutCheck {
  proxy: FaultProxyStats;
  /** Client processes that crashed, exited with a code other than 0 or did not finish. */
  processFailures: string[];
  elapsedMs: number;
}

/**
 * Starts fault proxies in front of the server, runs `processes` client processes appending
 * through them (half the batches with an idempotency key, retried until acknowledged; half
 * without, sent once), then reads every session from the server directly and checks it.
 */
export async function runCutScenario(options: CutScenarioOptions): Promise<CutScenarioOutcome> {
  const proxied = await proxyTarget(options.target, options.rates, options.seed);
  try {
    const configs: CutWorkerConfig[] = Array.from({ length: options.processes }, (_, process) => ({
      target: proxied.target,
      open: { ...options.open, ...proxied.open },
      process,
      appenders: options.appendersPerProcess,
      batches: options.batchesPerAppender,
      users: options.users ?? ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'],
      sessionsPerUser: options.sessionsPerUser ?? 2,
      maxAttempts: 50,
      hangMs: options.hangMs ?? 60_000,
    }));
    const run = await runCutWorkers(configs);
    const proxy = sumStats(proxied.proxies.map((p) => p.stats));
    const direct = await openStore(options.target);
    try {
      const check = checkCutLog(run.batches, await readCutLogs(direct, run.batches), { maxCallMs: options.maxCallMs });
      return { ...check, proxy, processFailures: run.failures, elapsedMs: run.elapsedMs };
    } finally {
      await direct.close();
    }
  } finally {
    await Promise.all(proxied.proxies.map((p) => p.stop()));
  }
}

function sumStats(all: FaultProxyStats[]): FaultProxyStats {
  const sum: FaultProxyStats = { connections: 0, refused: 0, cutReplies: 0, cutRequests: 0, delayed: 0, upstreamErrors: 0 };
  for (const stats of all) for (const key of Object.keys(sum) as (keyof FaultProxyStats)[]) sum[key] += stats[key];
  return sum;
}
