import type { SessionStore } from '@sessions/core';
import { checkFaultLog, readFaultLogs, type FaultCheck } from './check-fault-log.js';
import { startFaultAppenders, waitFor } from './fault-appenders.js';

/** A server fault the harness can inject: a SIGKILL, then a restart on the same port. */
export interface Fault {
  kill(): Promise<void>;
  restart(): Promise<void>;
}

/** Options of {@link runFaultScenario}. */
export interface FaultScenarioOptions {
  /** Longest a single call may take, ms (the test's bound on "no hang"). */
  maxCallMs: number;
  /** @default 4 */
  appenders?: number;
  /** @default six users */
  users?: string[];
  /** Secrets (a password in the URL) that no error message may quote. */
  secrets?: string[];
  /** The server stays down at least this long, ms. @default 3000 */
  minOutageMs?: number;
  /** Acknowledged writes made before the restart may be lost (the server keeps no data). @default false */
  serverLosesData?: boolean;
}

/** The check of the logs plus the timeline of the fault. */
export interface FaultScenarioOutcome extends FaultCheck {
  /** Calls that failed between the kill and the restart. */
  failedDuringOutage: number;
  outageMs: number;
  /** Acknowledged calls after the restart, through the same store. */
  acknowledgedAfterRestart: number;
}

/**
 * Runs appenders over `store`, kills the server once some writes went through, waits until
 * calls fail, restarts the server, waits until the same store acknowledges writes again,
 * stops, and checks the logs (see `checkFaultLog`).
 */
export async function runFaultScenario(store: SessionStore, fault: Fault, options: FaultScenarioOptions): Promise<FaultScenarioOutcome> {
  const users = options.users ?? ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
  const appenders = startFaultAppenders(store, { appenders: options.appenders ?? 4, users, ...(options.secrets ? { secrets: options.secrets } : {}) });
  let killedAt = 0;
  let restartedAt = 0;
  try {
    await waitFor('appends before the fault', () => appenders.acknowledged() >= 40);
    killedAt = Date.now();
    await fault.kill();
    await waitFor('calls failing during the outage', () => appenders.failed(killedAt) >= 8 && Date.now() - killedAt >= (options.minOutageMs ?? 3_000));
    await fault.restart();
    restartedAt = Date.now();
    await waitFor('appends through the same store after the restart', () => appenders.acknowledged(restartedAt) >= 40, 120_000);
  } finally {
    await appenders.stop();
  }
  const failedDuringOutage = appenders.calls.filter((c) => c.error && c.startedAt >= killedAt && c.startedAt < restartedAt).length;
  const check = checkFaultLog(appenders.calls, await readFaultLogs(store, appenders.calls), {
    maxCallMs: options.maxCallMs,
    ...(options.serverLosesData ? { lossAllowedBefore: restartedAt } : {}),
  });
  if (process.env['RELIABILITY_DEBUG']) {
    for (const c of appenders.calls.filter((c) => c.durationMs > 2000)) {
      process.stderr.write(`slow call ${c.appender}:${c.batch}#${c.attempt} start=${c.startedAt - killedAt} (restart at ${restartedAt - killedAt}) ${c.durationMs} ms ${c.error ?? 'ok'} ${c.errorDetail ?? ''}\n`);
    }
  }
  return { ...check, failedDuringOutage, outageMs: restartedAt - killedAt, acknowledgedAfterRestart: appenders.acknowledged(restartedAt) };
}
