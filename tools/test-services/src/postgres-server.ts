import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { postgresBinDir } from './binaries.js';
import { freePort, LOOPBACK } from './free-port.js';
import { ServerProcess } from './server-process.js';
import { isAddressInUse, waitUntil } from './wait-until.js';

const run = promisify(execFile);

/** The database the harness creates for the tests. */
export const TEST_DATABASE = 'sessions_test';

/** A running throwaway PostgreSQL server. */
export interface PostgresHandle {
  /** `postgres://postgres@127.0.0.1:<port>/sessions_test` (trust auth). */
  readonly url: string;
  readonly port: number;
  readonly database: string;
  /** The temp dir (data dir, unix socket); removed by `stop()`. */
  readonly dir: string;
  /** Fast shutdown; removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL of the postmaster and its backends, like a crash. Data stays for `restart()`. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data dir (crash recovery runs); resolves on `SELECT 1`. */
  restart(): Promise<void>;
}

/** initdb and postgres refuse root: as root, run them as the `postgres` OS user. */
async function runAsUser(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const { stdout: uid } = await run('id', ['-u', 'postgres']).catch(() => {
    throw new Error('[test-services] running as root, PostgreSQL needs a `postgres` OS user: apt-get install -y postgresql, or useradd --system postgres');
  });
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

/** Starts a PostgreSQL server (trust auth, fsync off) on a free loopback port with database `sessions_test`. */
export async function startPostgres(): Promise<PostgresHandle> {
  const bin = postgresBinDir();
  const user = await runAsUser();
  const dir = await mkdtemp(join(tmpdir(), 'sessions-pg-'));
  if (user.uid !== undefined && user.gid !== undefined) await chown(dir, user.uid, user.gid);
  const dataDir = join(dir, 'data');
  const as = { ...user, cwd: dir };
  const tool = (name: string, args: string[], timeout = 60_000) =>
    run(join(bin, name), args, { ...as, timeout, env: { ...process.env, LC_ALL: 'C' } });
  const cleanup = () => rm(dir, { recursive: true, force: true });

  try {
    await tool('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'], 120_000);
  } catch (error) {
    await cleanup();
    throw new Error(`[test-services] initdb failed: ${(error as { stderr?: string }).stderr ?? String(error)}`, { cause: error });
  }

  const spawnServer = async (port: number): Promise<ServerProcess> => {
    const server = new ServerProcess({
      command: join(bin, 'postgres'),
      args: [
        '-D', dataDir, '-p', String(port), '-k', dir,
        // fsync=off: a committed write still reaches the OS (so it survives kill()), just not the disk.
        // synchronous_commit stays on: an acknowledged commit must survive a process crash.
        '-c', `listen_addresses=${LOOPBACK}`, '-c', 'fsync=off', '-c', 'full_page_writes=off',
        '-c', 'max_connections=300',
      ],
      ...as,
    });
    const ping = async () => {
      await tool('pg_isready', ['-q', '-h', LOOPBACK, '-p', String(port), '-U', 'postgres'], 5_000);
      const { stdout } = await tool('psql', ['-h', LOOPBACK, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-tAc', 'SELECT 1'], 5_000);
      return stdout.trim() === '1';
    };
    try {
      await waitUntil(`postgres on port ${port}`, ping, { process: server });
      return server;
    } catch (error) {
      await server.kill();
      throw error;
    }
  };

  let port = await freePort();
  let server: ServerProcess | undefined;
  for (let attempt = 1; server === undefined; attempt++) {
    try {
      server = await spawnServer(port);
    } catch (error) {
      if (attempt >= 5 || !isAddressInUse(error)) {
        await cleanup();
        throw error;
      }
      port = await freePort();
    }
  }
  let current: ServerProcess = server;
  try {
    await tool('psql', ['-h', LOOPBACK, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', `CREATE DATABASE ${TEST_DATABASE}`]);
  } catch (error) {
    await current.stop('SIGINT');
    await cleanup();
    throw error;
  }

  let stopped = false;
  return {
    url: `postgres://postgres@${LOOPBACK}:${port}/${TEST_DATABASE}`,
    port,
    database: TEST_DATABASE,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      // SIGINT is PostgreSQL's fast shutdown: it does not wait for the tests' pools to disconnect.
      await current.stop('SIGINT');
      await cleanup();
    },
    kill: () => current.kill(),
    async restart() {
      await current.stop('SIGINT');
      // After a kill, a backend may hold the old shared memory for a moment: retry briefly.
      for (let attempt = 1; ; attempt++) {
        try {
          current = await spawnServer(port);
          return;
        } catch (error) {
          if (attempt >= 5) throw error;
        }
      }
    },
  };
}
