import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { postgresBinDir } from '../src/binaries.js';
import { LOOPBACK } from '../src/free-port.js';

const run = promisify(execFile);

/** Runs one SQL statement through psql (as the postgres user, over TCP) and returns the output. */
export async function psql(port: number, sql: string, database = 'sessions_test'): Promise<string> {
  const { stdout } = await run(
    join(postgresBinDir(), 'psql'),
    ['-h', LOOPBACK, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-tAc', sql],
    { timeout: 10_000 },
  );
  return stdout.trim();
}

/** Resolves true when `probe` rejects or resolves false: the server is down. */
export async function isDown(probe: () => Promise<boolean>): Promise<boolean> {
  return !(await probe().catch(() => false));
}
