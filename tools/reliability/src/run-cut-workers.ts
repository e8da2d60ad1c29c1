import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { CutBatch, CutWorkerConfig, CutWorkerReport } from './cut-workload.js';

/** What the client processes of a fault-proxy run reported. */
export interface CutWorkersOutcome {
  batches: CutBatch[];
  /** One line per process that crashed, exited with a code other than 0 or did not report `done`. */
  failures: string[];
  elapsedMs: number;
}

const WORKER_SCRIPT = join(import.meta.dirname, 'cut-worker.ts');

/**
 * Forks one client process per config (`node --import tsx --conditions=@sessions/source`),
 * each running `cut-worker.ts`, and collects the batches they report.
 */
export async function runCutWorkers(configs: CutWorkerConfig[], timeoutMs = 600_000): Promise<CutWorkersOutcome> {
  const started = Date.now();
  const outcome: CutWorkersOutcome = { batches: [], failures: [], elapsedMs: 0 };
  await Promise.all(
    configs.map(
      (config) =>
        new Promise<void>((resolve) => {
          let done = false;
          const child = fork(WORKER_SCRIPT, [], {
            execArgv: ['--import', 'tsx', '--conditions=@sessions/source'],
            env: { ...process.env, RELIABILITY_CUT_WORKER: JSON.stringify(config), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          });
          const timer = setTimeout(() => {
            outcome.failures.push(`process ${config.process}: still running after ${timeoutMs} ms; killed`);
            child.kill('SIGKILL');
          }, timeoutMs);
          child.on('message', (report: CutWorkerReport) => {
            if (report.type === 'batches') outcome.batches.push(...report.batches);
            else if (report.type === 'done') done = true;
            else outcome.failures.push(`process ${config.process}: ${report.error}`);
          });
          child.on('exit', (code, signal) => {
            clearTimeout(timer);
            if (code !== 0) outcome.failures.push(`process ${config.process}: exited with ${signal ?? code}`);
            else if (!done) outcome.failures.push(`process ${config.process}: exited without reporting done`);
            resolve();
          });
        }),
    ),
  );
  outcome.elapsedMs = Date.now() - started;
  return outcome;
}
