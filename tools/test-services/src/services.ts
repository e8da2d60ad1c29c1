import { INSTALL_HINTS } from './binaries.js';
import { startDynamoLocal } from './dynamo-local.js';
import { startPostgres } from './postgres-server.js';
import { startRedisCluster } from './redis-cluster.js';
import { startRedis } from './redis-server.js';

/** The servers the harness can start. */
export type ServiceName = 'redis' | 'cluster' | 'postgres' | 'dynamo';

/** Every service, in start order. */
export const SERVICE_NAMES: readonly ServiceName[] = ['redis', 'cluster', 'postgres', 'dynamo'];

/** The env var that carries each service's address, and the one that says why it is missing. */
export const SERVICE_ENV = {
  redis: { value: 'SESSIONS_REDIS_URL', unavailable: 'SESSIONS_REDIS_UNAVAILABLE', binary: 'redis-server' },
  cluster: {
    value: 'SESSIONS_REDIS_CLUSTER_NODES',
    unavailable: 'SESSIONS_REDIS_CLUSTER_UNAVAILABLE',
    binary: 'redis-server',
  },
  postgres: { value: 'SESSIONS_POSTGRES_URL', unavailable: 'SESSIONS_POSTGRES_UNAVAILABLE', binary: 'initdb' },
  dynamo: { value: 'SESSIONS_DYNAMO_ENDPOINT', unavailable: 'SESSIONS_DYNAMO_UNAVAILABLE', binary: 'java' },
} as const satisfies Record<ServiceName, { value: string; unavailable: string; binary: string }>;

/** A service this process started, with its env value and how to stop it. */
export interface StartedService {
  name: ServiceName;
  value: string;
  startMs: number;
  stop(): Promise<void>;
}

/** True when running in CI, where a server that cannot start fails the run. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/** Parses `redis,cluster` (or `all`); throws on an unknown name, listing the valid ones. */
export function parseServices(list: string | undefined): ServiceName[] {
  if (list === undefined || list.trim() === '') return [];
  if (list.trim() === 'all') return [...SERVICE_NAMES];
  return list.split(',').map((raw) => {
    const name = raw.trim();
    if (!(SERVICE_NAMES as readonly string[]).includes(name)) {
      throw new Error(`[test-services] unknown service "${name}"; use any of ${SERVICE_NAMES.join(', ')}`);
    }
    return name as ServiceName;
  });
}

/** Starts one service and returns its env value. */
export async function startService(name: ServiceName): Promise<StartedService> {
  const started = Date.now();
  const done = (value: string, stop: () => Promise<void>): StartedService => ({
    name,
    value,
    stop,
    startMs: Date.now() - started,
  });
  switch (name) {
    case 'redis': {
      const s = await startRedis();
      return done(s.url, s.stop);
    }
    case 'cluster': {
      const s = await startRedisCluster();
      return done(s.nodesEnv, s.stop);
    }
    case 'postgres': {
      const s = await startPostgres();
      return done(s.url, s.stop);
    }
    case 'dynamo': {
      const s = await startDynamoLocal();
      return done(s.endpoint, s.stop);
    }
  }
}

function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Makes sure each wanted service has its env var: a var already set is used as is; the other
 * services are started (in parallel) and their vars set in `env`. A service that cannot start
 * fails the call in CI; elsewhere it gets `SESSIONS_<X>_UNAVAILABLE=<reason>` and a loud warning.
 */
export async function ensureServices(
  wanted: readonly ServiceName[],
  options: { env?: NodeJS.ProcessEnv; ci?: boolean; log?: (line: string) => void } = {},
): Promise<StartedService[]> {
  const env = options.env ?? process.env;
  const ci = options.ci ?? isCi(env);
  const log = options.log ?? say;
  const toStart = [...new Set(wanted)].filter((name) => !env[SERVICE_ENV[name].value]);
  const results = await Promise.allSettled(toStart.map((name) => startService(name)));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures: string[] = [];
  results.forEach((result, i) => {
    const name = toStart[i] as ServiceName;
    const vars = SERVICE_ENV[name];
    if (result.status === 'fulfilled') {
      env[vars.value] = result.value.value;
      delete env[vars.unavailable];
      if (env.SESSIONS_SERVICES_DEBUG) log(`[test-services] ${name} ready in ${result.value.startMs} ms: ${result.value.value}`);
      return;
    }
    const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
    failures.push(
      `${name} (needs ${vars.binary}; install: ${INSTALL_HINTS[vars.binary] ?? vars.binary}):\n  ${reason.replace(/\n/g, '\n  ')}`,
    );
    env[vars.unavailable] = reason.split('\n')[0] ?? reason;
  });
  if (failures.length > 0 && ci) {
    await Promise.all(started.map((s) => s.stop()));
    throw new Error(`[test-services] CI=true and these test servers could not start:\n${failures.join('\n')}`);
  }
  for (const failure of failures) {
    log(`\n!!!!! [test-services] WARNING: could not start ${failure}\n!!!!! Its tests will be SKIPPED (with CI=true this fails the run).\n`);
  }
  return started;
}
