/**
 * A client process of the fault-proxy run: opens its own store through the proxies, runs its
 * appenders side by side and reports every batch (acknowledged or not, with each attempt's
 * error) to the parent over IPC. An unhandled rejection or uncaught exception is reported and
 * ends the process with code 70: the parent counts it. Started by `runCutWorkers`.
 *
 * Config: `process.env.RELIABILITY_CUT_WORKER`, the JSON of a {@link CutWorkerConfig}.
 */
import { isSessionStoreError, type SessionStore } from '@sessions/core';
import { batchMessages, cutPlan, type CutBatch, type CutWorkerConfig, type CutWorkerReport } from './cut-workload.js';
import { openStore } from './targets.js';

const config = JSON.parse(process.env['RELIABILITY_CUT_WORKER'] ?? '') as CutWorkerConfig;
const REPORT_BATCH = 100;

function send(report: CutWorkerReport): Promise<void> {
  return new Promise((resolve, reject) => process.send!(report, (error: Error | null) => (error ? reject(error) : resolve())));
}

const crash = (kind: string) => (error: unknown) => {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.send?.({ type: 'crash', process: config.process, error: `${kind}: ${text}` } satisfies CutWorkerReport, () => process.exit(70));
  setTimeout(() => process.exit(70), 1000).unref();
};
process.on('unhandledRejection', crash('unhandled rejection'));
process.on('uncaughtException', crash('uncaught exception'));

async function sendBatch(store: SessionStore, batch: CutBatch): Promise<void> {
  const messages = batchMessages(batch);
  for (;;) {
    batch.attempts++;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    // A call that never settles is a failure of its own ('HUNG'): the appender records it and
    // goes on, so a hang shows up in the check instead of stalling the run.
    const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), config.hangMs)));
    try {
      const call = store.append(batch.userId, batch.sessionId, messages, batch.key === undefined ? {} : { idempotencyKey: batch.key });
      const outcome = await Promise.race([call, hung]);
      if (outcome === 'hung') {
        batch.errors.push('HUNG');
        batch.hung = true;
        call.catch(() => undefined);
      } else batch.result = outcome;
    } catch (error) {
      batch.errors.push(isSessionStoreError(error) ? error.code : `raw ${error instanceof Error ? `${error.name}: ${error.message}` : typeof error}`);
    } finally {
      clearTimeout(timer);
    }
    batch.maxCallMs = Math.max(batch.maxCallMs, Date.now() - started);
    // Without a key a failed call may have been applied: sending it again could double it.
    if (batch.result || batch.hung || batch.key === undefined || batch.attempts >= config.maxAttempts) return;
    await new Promise((resolve) => setTimeout(resolve, 20 * Math.min(batch.attempts, 10)));
  }
}

async function main(): Promise<void> {
  const store = await openStore(config.target, config.open);
  let pending: CutBatch[] = [];
  let flushing = Promise.resolve();
  const flush = () => {
    const batches = pending;
    pending = [];
    flushing = flushing.then(() => send({ type: 'batches', batches }));
    return flushing;
  };
  try {
    await Promise.all(
      cutPlan(config).map(async (plan) => {
        for (const planned of plan) {
          const batch: CutBatch = { ...planned, attempts: 0, errors: [], maxCallMs: 0 };
          await sendBatch(store, batch);
          pending.push(batch);
          if (pending.length >= REPORT_BATCH) await flush();
        }
      }),
    );
    await flush();
  } finally {
    await store.close();
  }
  await send({ type: 'done', process: config.process });
}

await main();
process.disconnect?.();
