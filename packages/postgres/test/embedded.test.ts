import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresSessionStore } from '@sessions/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../src/driver/pglite-lock.js';

const dirs: string[] = [];
const dataDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sessions-pglite-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const HOLDER = new URL('./support/pglite-holder.ts', import.meta.url).pathname;

/** A real second process holding `pglite:<dir>`; `release()` closes its store and waits for its exit. */
async function holder(dir: string): Promise<{ line: string; release(): Promise<number | null>; kill(): Promise<void> }> {
  const proc = spawn(process.execPath, ['--conditions=@sessions/source', '--import', 'tsx', HOLDER, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  let output = '';
  const line = await new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const first = output.split('\n')[0];
      if (output.includes('\n') && first !== undefined) resolve(first);
    });
    void exited.then(() => reject(new Error(`the holder exited early: ${output}`)));
  });
  return {
    line,
    release: async () => {
      proc.stdin.end();
      return exited;
    },
    kill: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

describe('PostgresSessionStore over PGlite (pglite: URLs)', () => {
  it('keeps the data of pglite:./folder across a close and a reopen, and owns the database', async () => {
    const dir = await dataDir();
    const first = await PostgresSessionStore.fromUrl(`pglite:${dir}`);
    await first.setup();
    await first.append('alice', 'chat', [{ role: 'user', content: 'kept on disk \u0000 \ud800 ü🙂' }], { idempotencyKey: 'k' });
    await first.close();
    await expect(first.getSession('alice', 'chat')).rejects.toMatchObject({ code: 'CLOSED' });

    const second = await PostgresSessionStore.fromUrl(`pglite:${dir}`);
    try {
      await second.setup(); // a no-op: the tables are up to date
      const session = await second.getSession('alice', 'chat');
      expect(session?.messages.map((m) => m.message)).toEqual([{ role: 'user', content: 'kept on disk \u0000 \ud800 ü🙂' }]);
      expect(await second.append('alice', 'chat', { role: 'user', content: 'x' }, { idempotencyKey: 'k' })).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: true });
    } finally {
      await second.close();
    }
  });

  it('refuses a second store on the same folder while the first is open, then opens it once closed', async () => {
    const dir = await dataDir();
    const first = await PostgresSessionStore.fromUrl(`pglite:${dir}`);
    try {
      const error = await PostgresSessionStore.fromUrl(`pglite:${dir}`).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNAVAILABLE' });
      expect((error as Error).message).toMatch(/open in this process/);
    } finally {
      await first.close();
    }
    const again = await PostgresSessionStore.fromUrl(`pglite:${dir}`);
    await again.close();
  });

  it('takes over the lock of a process that is gone', async () => {
    const dir = await dataDir();
    // A pid far above any pid_max: no such process.
    await writeFile(join(dir, LOCK_FILE), '2147483646\n');
    const store = await PostgresSessionStore.fromUrl(`pglite:${dir}`);
    expect((await readFile(join(dir, LOCK_FILE), 'utf8')).trim()).toBe(String(process.pid));
    await store.close();
  });

  it('refuses a second process on the same folder with a clear error, and takes over once the holder is killed', async () => {
    const dir = await dataDir();
    const first = await holder(dir);
    expect(first.line).toBe('OPEN');
    const second = await holder(dir);
    expect(second.line).toMatch(/^REFUSED UNAVAILABLE .*open in process \d+; PGlite serves one process/);
    expect(await second.release()).toBe(3);
    const inThisProcess = await PostgresSessionStore.fromUrl(`pglite:${dir}`).catch((e: unknown) => e);
    expect(inThisProcess).toMatchObject({ code: 'UNAVAILABLE' });

    await first.kill(); // a crash: the lock stays, naming a dead pid
    const third = await PostgresSessionStore.fromUrl(`pglite:${dir}`);
    try {
      const users = [];
      for await (const user of third.listUsers()) users.push(user);
      expect(users).toEqual(['holder']);
    } finally {
      await third.close();
    }
  });
});
