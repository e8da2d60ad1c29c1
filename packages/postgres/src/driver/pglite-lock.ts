import { link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { storeErrors } from '@sessions/core';
import { BACKEND } from './errors.js';

/** The lock file in a PGlite data directory: it holds the pid of the process that has it open. */
export const LOCK_FILE = 'sessions-pglite.lock';

const errors = storeErrors(BACKEND);

/**
 * Takes the data directory for this process: PGlite is PostgreSQL in one process, and a second
 * process opening the same directory does not fail, it silently loses writes. The lock is a
 * file created exclusively, holding the owner's pid; a lock whose process is gone (killed,
 * crashed) is stale and taken over. Returns the release function (for `close()`).
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await create(path)) return () => release(path);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue; // released meanwhile: try again
    const owner = Number.parseInt(text, 10);
    if (Number.isSafeInteger(owner) && owner > 0 && isRunning(owner)) {
      const who = owner === process.pid ? 'this process (another store)' : `process ${owner}`;
      throw errors.make(
        'UNAVAILABLE',
        `the embedded PostgreSQL (PGlite) database in ${JSON.stringify(dir)} is open in ${who}; PGlite serves one process at a time: close it there first, or use a PostgreSQL server (postgres://) or SQLite (sqlite:) for several processes`,
      );
    }
    await takeOverStale(path, text);
  }
  throw errors.make('UNAVAILABLE', `could not take the lock of the PGlite database in ${JSON.stringify(dir)}: other processes keep taking it; retry`);
}

async function create(path: string): Promise<boolean> {
  try {
    const file = await open(path, 'wx');
    try {
      await file.writeFile(`${process.pid}\n`);
    } finally {
      await file.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Moves a stale lock aside (a rename succeeds for one process only). If what was moved is not
 * the stale lock that was read (another process took over in between), it is put back.
 */
async function takeOverStale(path: string, staleText: string): Promise<void> {
  const aside = `${path}.${process.pid}.stale`;
  try {
    await rename(path, aside);
  } catch {
    return; // another process moved it first
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

async function release(path: string): Promise<void> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text !== undefined && Number.parseInt(text, 10) === process.pid) await unlink(path).catch(() => undefined);
}

/** `true` while a process with that pid exists (EPERM: it exists, under another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
