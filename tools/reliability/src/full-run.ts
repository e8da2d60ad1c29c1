/**
 * The full many-process run whose figures docs/reliability.md records: 8 worker processes x
 * 2,000 messages on each backend, then the log checks. Needs the servers' env vars; run it as
 * `npm run full -w @sessions/reliability` (which starts throwaway servers through the harness).
 *
 * Arguments: `--messages <n>` (default 2000), `--workers <n>` (default 8), then backend names
 * (default: redis cluster postgres dynamo).
 */
import { checkLogs, readLogs } from './check-logs.js';
import { dropTarget, prepareTarget } from './raw-records.js';
import { runWorkers } from './run-workers.js';
import { openStore, type BackendName, type StoreTarget } from './targets.js';
import { WORKLOAD_USER, workloadSessions } from './workload.js';

const ADDRESS_ENV: Record<Exclude<BackendName, 'memory'>, string> = {
  redis: 'SESSIONS_REDIS_URL',
  cluster: 'SESSIONS_REDIS_CLUSTER_NODES',
  postgres: 'SESSIONS_POSTGRES_URL',
  dynamo: 'SESSIONS_DYNAMO_ENDPOINT',
};

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [value] = args.splice(at, 2).slice(1);
  return Number(value);
}

const args = process.argv.slice(2);
const messages = option(args, '--messages', 2000);
const workers = option(args, '--workers', 8);
const backends = (args.length > 0 ? args : Object.keys(ADDRESS_ENV)) as Exclude<BackendName, 'memory'>[];
const out = (line: string) => process.stdout.write(`${line}\n`);

out(`| backend | processes | messages acknowledged | calls sent | CONFLICT retries | UNAVAILABLE retries (keyed) | deliberate retries | stored | lost or doubled | problems | time |`);
out(`|---|---|---|---|---|---|---|---|---|---|---|`);
let failed = false;
for (const backend of backends) {
  const address = process.env[ADDRESS_ENV[backend]];
  if (!address) throw new Error(`${ADDRESS_ENV[backend]} is not set: run under tools/test-services/bin/with-services.mjs`);
  const target: StoreTarget = { backend, address, namespace: `rel_full_${backend}_${Date.now()}` };
  await prepareTarget(target);
  try {
    const outcome = await runWorkers({ target, workers, messagesPerWorker: messages, timeoutMs: 3_600_000 });
    const store = await openStore(target);
    const check = checkLogs(outcome.acks, await readLogs(store, WORKLOAD_USER, workloadSessions()));
    await store.close();
    const lost = workers * messages - check.storedMessages;
    failed ||= check.problems.length > 0 || outcome.failures.length > 0;
    out(
      `| ${backend} | ${workers} | ${check.acknowledgedMessages} | ${outcome.calls} | ${outcome.conflictRetries} | ${outcome.unavailableRetries} | ${check.retriedCalls} | ` +
        `${check.storedMessages} | ${lost} | ${check.problems.length + outcome.failures.length} | ${(outcome.elapsedMs / 1000).toFixed(0)} s |`,
    );
    for (const line of [...outcome.failures, ...check.problems]) out(`  - ${line}`);
  } finally {
    await dropTarget(target);
  }
}
process.exitCode = failed ? 1 : 0;
