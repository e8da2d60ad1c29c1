export { openStore, redisClientOptions, postgresUrl, OUTAGE_SETTINGS, DYNAMO_CREDENTIALS, type BackendName, type StoreTarget, type OpenOptions } from './targets.js';
export { prepareTarget, dropTarget, countRawRecords } from './raw-records.js';
export { workerPlan, workloadSessions, prng, WORKLOAD_USER, SHARED_SESSION, SESSION_SET_SIZE, type Ack, type WorkMessage, type WorkOperation, type WorkerReport } from './workload.js';
export { runWorkers, type RunWorkersOptions, type WorkersOutcome } from './run-workers.js';
export { checkLogs, readLogs, type LogCheck, type SessionLog } from './check-logs.js';
