import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './binaries.js';
import { freePort, LOOPBACK } from './free-port.js';
import { redisPing } from './redis-cli.js';
import { ServerProcess } from './server-process.js';
import { isAddressInUse, waitUntil } from './wait-until.js';

/** A running throwaway redis-server. */
export interface RedisHandle {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The server's working dir; removed by `stop()` when the harness created it. */
  readonly dir: string;
  /** Graceful stop; removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL, like a crash. The port and dir are kept for `restart()`. */
  kill(): Promise<void>;
  /** Starts it again on the same port and dir (stopping it first if it runs); resolves when it answers PING. */
  restart(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface RedisOptions {
  /** @default a free loopback port */
  port?: number;
  /** Extra `redis-server` arguments, e.g. `['--cluster-enabled', 'yes']`. */
  extraArgs?: string[];
  /** Parent directory of the server's dir. @default a new temp dir */
  dir?: string;
}

/** The arguments of a throwaway, memory-only redis-server. */
export function redisArgs(port: number, dir: string, extraArgs: string[] = []): string[] {
  return ['--port', String(port), '--bind', LOOPBACK, '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs];
}

/** Spawns redis-server and waits for PING; throws the server's output if it exits first. */
export async function spawnRedis(port: number, dir: string, extraArgs: string[] = []): Promise<ServerProcess> {
  const server = new ServerProcess({ command: findBinary('redis-server'), args: redisArgs(port, dir, extraArgs), cwd: dir });
  try {
    await waitUntil(`redis-server on port ${port}`, () => redisPing(port), { process: server });
    return server;
  } catch (error) {
    await server.kill();
    throw error;
  }
}

/** Starts a memory-only redis-server (`--save "" --appendonly no`) on a free loopback port. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisHandle> {
  findBinary('redis-server');
  findBinary('redis-cli');
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'sessions-redis-')));
  let port = options.port ?? (await freePort());
  let server: ServerProcess | undefined;
  for (let attempt = 1; server === undefined; attempt++) {
    try {
      server = await spawnRedis(port, dir, options.extraArgs);
    } catch (error) {
      if (options.port !== undefined || attempt >= 5 || !isAddressInUse(error)) {
        if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
    }
  }
  let current: ServerProcess = server;
  let stopped = false;
  return {
    url: `redis://${LOOPBACK}:${port}`,
    port,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await current.stop('SIGTERM');
      if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
    },
    kill: () => current.kill(),
    async restart() {
      await current.stop('SIGTERM');
      current = await spawnRedis(port, dir, options.extraArgs);
    },
  };
}
