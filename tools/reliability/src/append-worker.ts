/**
 * A worker process of the many-process run: opens its own store (its own client and
 * connections), performs its plan of append calls one after the other and reports every
 * acknowledged call to the parent over IPC. Started by `runWorkers` with `node --import tsx`.
 *
 * Config: `process.env.RELIABILITY_WORKER`, the JSON of a {@link WorkerConfig}.
 */
import { isSessionStoreError, type AppendResult, type SessionStore } from '@sessions/core';
import { openStore, type StoreTarget } from './targets.js';
import { WORKLOAD_USER, workerPlan, type Ack, type WorkOperation, type WorkerReport } from './workload.js';

/** What the parent tells a worker. */
export interface WorkerConfig {
  target: StoreTarget;
  worker: number;
  messagesPerWorker: number;
  seed: number;
}

/** How many times a call that failed with a retryable error is sent again. */
const MAX_ATTEMPTS = 20;
const ACK_BATCH = 200;

function send(report: WorkerReport): Promise<void> {
  return new Promise((resolve, reject) => process.send!(report, (error: Error | null) => (error ? reject(error) : resolve())));
}

interface Counters {
  calls: number;
  conflictRetries: number;
  unavailableRetries: number;
}

/**
 * Sends one call, retrying what is safe to retry: a CONFLICT (the store wrote nothing: its
 * transaction lost a race), and an UNAVAILABLE only when the call has an idempotency key (it
 * may have been applied; the key makes the retry safe).
 */
async function appendOnce(store: SessionStore, op: WorkOperation, counters: Counters): Promise<AppendResult> {
  for (let attempt = 1; ; attempt++) {
    counters.calls++;
    try {
      const payload = op.single ? op.messages[0]! : op.messages;
      return await store.append(WORKLOAD_USER, op.sessionId, payload, op.key === undefined ? {} : { idempotencyKey: op.key });
    } catch (error) {
      const conflict = isSessionStoreError(error, 'CONFLICT');
      const safeUnavailable = isSessionStoreError(error, 'UNAVAILABLE') && op.key !== undefined;
      if (attempt >= MAX_ATTEMPTS || !(conflict || safeUnavailable)) throw error;
      if (conflict) counters.conflictRetries++;
      else counters.unavailableRetries++;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env['RELIABILITY_WORKER'] ?? '') as WorkerConfig;
  const store = await openStore(config.target);
  const counters: Counters = { calls: 0, conflictRetries: 0, unavailableRetries: 0 };
  let pending: Ack[] = [];
  try {
    for (const op of workerPlan(config.worker, config.messagesPerWorker, config.seed)) {
      const result = await appendOnce(store, op, counters);
      const ack: Ack = {
        worker: config.worker,
        op: op.op,
        sessionId: op.sessionId,
        ns: op.messages.map((m) => m.n),
        firstSeq: result.firstSeq,
        lastSeq: result.lastSeq,
        ...(op.key === undefined ? {} : { key: op.key }),
      };
      if (op.retry) {
        const again = await appendOnce(store, op, counters);
        ack.retried = { firstSeq: again.firstSeq, lastSeq: again.lastSeq, duplicate: again.duplicate };
      }
      pending.push(ack);
      if (pending.length >= ACK_BATCH) {
        await send({ type: 'acks', acks: pending });
        pending = [];
      }
    }
    if (pending.length > 0) await send({ type: 'acks', acks: pending });
    await send({ type: 'done', worker: config.worker, ...counters });
  } catch (error) {
    if (pending.length > 0) await send({ type: 'acks', acks: pending });
    await send({
      type: 'failed',
      worker: config.worker,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      ...(isSessionStoreError(error) ? { code: error.code } : {}),
    });
  } finally {
    await store.close();
  }
}

await main();
process.disconnect?.();
