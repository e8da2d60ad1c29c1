import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { WorkerConfig } from './append-worker.js';
import type { StoreTarget } from './targets.js';
import type { Ack, WorkerReport } from './workload.js';

/** Options of {@link runWorkers}. */
export interface RunWorkersOptions {
  target: StoreTarget;
  /** @default 8 */
  workers?: number;
  messagesPerWorker: number;
  /** Seed of the workers' plans. @default 1 */
  seed?: number;
  /** A worker still running after this long is killed and reported as failed. @default 600000 */
  timeoutMs?: number;
}

/** What the workers reported. */
export interface WorkersOutcome {
  acks: Ack[];
  /** Append calls sent, retries included. */
  calls: number;
  conflictRetries: number;
  unavailableRetries: number;
  /** One line per worker that failed or exited without reporting `done`. */
  failures: string[];
  elapsedMs: number;
}

const WORKER_SCRIPT = join(import.meta.dirname, 'append-worker.ts');

/**
 * Forks `workers` processes (`node --import tsx --conditions=@sessions/source`), each running
 * `append-worker.ts` with its own client over `target`, and collects their acknowledgements.
 */
export async function runWorkers(options: RunWorkersOptions): Promise<WorkersOutcome> {
  const count = options.workers ?? 8;
  const started = Date.now();
  const outcome: WorkersOutcome = { acks: [], calls: 0, conflictRetries: 0, unavailableRetries: 0, failures: [], elapsedMs: 0 };
  await Promise.all(
    Array.from({ length: count }, (_, worker) => {
      const config: WorkerConfig = { target: options.target, worker, messagesPerWorker: options.messagesPerWorker, seed: options.seed ?? 1 };
      return new Promise<void>((resolve) => {
        let done = false;
        const child = fork(WORKER_SCRIPT, [], {
          execArgv: ['--import', 'tsx', '--conditions=@sessions/source'],
          env: { ...process.env, RELIABILITY_WORKER: JSON.stringify(config), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        const timer = setTimeout(() => {
          outcome.failures.push(`worker ${worker}: still running after ${options.timeoutMs ?? 600_000} ms; killed`);
          child.kill('SIGKILL');
        }, options.timeoutMs ?? 600_000);
        child.on('message', (report: WorkerReport) => {
          if (report.type === 'acks') outcome.acks.push(...report.acks);
          else if (report.type === 'done') {
            done = true;
            outcome.calls += report.calls;
            outcome.conflictRetries += report.conflictRetries;
            outcome.unavailableRetries += report.unavailableRetries;
          } else outcome.failures.push(`worker ${worker}: ${report.code ?? 'error'} ${report.error}`);
        });
        child.on('exit', (code, signal) => {
          clearTimeout(timer);
          if (!done && code !== 0) outcome.failures.push(`worker ${worker}: exited with ${signal ?? code}`);
          else if (!done) outcome.failures.push(`worker ${worker}: exited without reporting done`);
          resolve();
        });
      });
    }),
  );
  outcome.elapsedMs = Date.now() - started;
  return outcome;
}
