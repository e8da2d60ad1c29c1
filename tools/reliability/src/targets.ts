import type { SessionStore } from '@sessions/core';

/** The backends the reliability runs cover. */
export type BackendName = 'memory' | 'redis' | 'cluster' | 'postgres' | 'dynamo';

/**
 * Where a store's data lives, as plain data so a parent process can hand it to its workers:
 * the backend, its address (a Redis URL, `host:port,...` cluster seeds, a PostgreSQL URL, a
 * DynamoDB endpoint; empty for memory) and a namespace no other test uses (the key prefix,
 * schema or table name).
 */
export interface StoreTarget {
  backend: BackendName;
  address: string;
  namespace: string;
}

/**
 * Client settings that bound how long a call can take while a server is down, on top of what
 * the stores' `fromUrl` clients already do (Redis: one reconnect attempt per call, no resend;
 * PostgreSQL: `connectTimeoutMs` 5 s, `reconnectDelayMs` 500 ms). These are the values
 * docs/reliability.md recommends; the fault tests run with them.
 */
export const OUTAGE_SETTINGS = {
  /** ioredis `commandTimeout`: a command not answered in time is rejected (UNAVAILABLE). */
  redisCommandTimeoutMs: 3_000,
  /** The Redis store's `connectTimeoutMs`: how long opening a connection may take. */
  redisConnectTimeoutMs: 2_000,
  /** PostgreSQL `statement_timeout` (ms), sent as a connection parameter in the URL. */
  postgresStatementTimeoutMs: 5_000,
} as const;

/** Whether {@link openStore} applies {@link OUTAGE_SETTINGS}. */
export interface OpenOptions {
  /** Use the bounded client settings of {@link OUTAGE_SETTINGS}. @default false (driver defaults) */
  bounded?: boolean;
  /** Overrides of the ioredis client settings (the timeout tests use a short commandTimeout). */
  redis?: { commandTimeout?: number };
  /** Extra PostgreSQL URL parameters (e.g. `statement_timeout`). */
  postgresParams?: Record<string, string>;
  /**
   * Redis Cluster: node addresses as the cluster announces them → where to connect instead
   * (the fault proxies). ioredis' `natMap`.
   */
  natMap?: Record<string, { host: string; port: number }>;
  /**
   * DynamoDB: the SDK's `maxAttempts`. At 1 the SDK never resends, so a cut reply reaches the
   * store as a failed call (the SDK's own resends reuse the request's `ClientRequestToken`).
   * @default the SDK's (3)
   */
  dynamoMaxAttempts?: number;
  /** PostgreSQL: the store's pool size (`maxConnections`). @default 4 */
  postgresMaxConnections?: number;
}

/** DynamoDB Local takes any credentials; these keep the SDK from searching the machine for real ones. */
export const DYNAMO_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** The ioredis options of a store opened with {@link OpenOptions}. */
export function redisClientOptions(options: OpenOptions = {}) {
  const bounded = options.bounded ? { commandTimeout: OUTAGE_SETTINGS.redisCommandTimeoutMs } : {};
  return { ...bounded, ...options.redis };
}

/** The Redis store's connection settings of a store opened with {@link OpenOptions}. */
function redisStoreSettings(options: OpenOptions) {
  return options.bounded ? { connectTimeoutMs: OUTAGE_SETTINGS.redisConnectTimeoutMs } : {};
}

/** The PostgreSQL URL with the bounded settings (and extra parameters) as query parameters. */
export function postgresUrl(address: string, options: OpenOptions = {}): string {
  const url = new URL(address);
  if (options.bounded) url.searchParams.set('statement_timeout', String(OUTAGE_SETTINGS.postgresStatementTimeoutMs));
  for (const [key, value] of Object.entries(options.postgresParams ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

/**
 * A store over `target`, owning its own client (as a separate process would). Backends are
 * imported on demand so a worker process loads only the one it uses.
 */
export async function openStore(target: StoreTarget, options: OpenOptions = {}): Promise<SessionStore> {
  switch (target.backend) {
    case 'memory': {
      const { InMemorySessionStore } = await import('@sessions/core');
      return new InMemorySessionStore();
    }
    case 'redis': {
      const { RedisSessionStore } = await import('@sessions/redis');
      return RedisSessionStore.fromUrl(target.address, { keyPrefix: `${target.namespace}:`, ...redisStoreSettings(options), redisOptions: redisClientOptions(options) });
    }
    case 'cluster': {
      const { RedisSessionStore } = await import('@sessions/redis');
      return RedisSessionStore.fromClusterNodes(target.address.split(','), {
        keyPrefix: `${target.namespace}:`,
        ...redisStoreSettings(options),
        clusterOptions: {
          redisOptions: redisClientOptions(options),
          ...(options.bounded ? { maxRedirections: 8, retryDelayOnClusterDown: 200 } : {}),
          ...(options.natMap ? { natMap: options.natMap } : {}),
        },
      });
    }
    case 'postgres': {
      const { PostgresSessionStore } = await import('@sessions/postgres');
      return PostgresSessionStore.fromUrl(postgresUrl(target.address, options), { schema: target.namespace, maxConnections: options.postgresMaxConnections ?? 4 });
    }
    case 'dynamo': {
      const { DynamoSessionStore } = await import('@sessions/dynamo');
      return new DynamoSessionStore({
        endpoint: target.address,
        tableName: target.namespace,
        region: 'us-east-1',
        clientConfig: { credentials: DYNAMO_CREDENTIALS, ...(options.dynamoMaxAttempts ? { maxAttempts: options.dynamoMaxAttempts } : {}) },
      });
    }
  }
}

