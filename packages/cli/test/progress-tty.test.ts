import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runBin } from './support/run-bin.js';

const exec = promisify(execFile);

/** Runs a shell command line in a real pseudo-terminal (util-linux `script`) and returns what the terminal showed. */
async function inTerminal(command: string, cwd: string): Promise<string> {
  const { stdout } = await exec('script', ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, SESSIONS_STORE: '', TERM: 'xterm' }, timeout: 120_000 });
  return stdout;
}

describe('progress in a terminal', () => {
  let dir: string;
  const store = () => `sqlite:${join(dir, 'sessions.db')}`;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sessions-tty-'));
    // An embedded store with some data to export.
    const seeded = await runBin(['demo', '--store', store()], { cwd: dir });
    expect(seeded.code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('draws a bar that knows its total from the first frame, and an ETA', async () => {
    const screen = await inTerminal(`node ${BIN} export --store ${store()} --out ${join(dir, 'out.jsonl')}`, dir);
    // The sessions are counted first: the first frame is an empty bar of the real total, not a full one.
    const first = /export \[░+\]\s+0% 0\/(\d+) messages \| 0\/(\d+) sessions \| ETA …/.exec(screen);
    expect(first).not.toBeNull();
    const [, messages, sessions] = first!;
    expect(Number(messages)).toBeGreaterThan(0);
    expect(screen).toContain(`100% ${messages}/${messages} messages | ${sessions}/${sessions} sessions`);
    expect(screen).toContain(`export: done, ${sessions} sessions, ${messages} messages in`);
  });

  it('prints plain lines instead when stderr is not a terminal', async () => {
    const r = await runBin(['export', '--store', store(), '--out', join(dir, 'plain.jsonl')], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/[█░]/);
    expect(r.stderr).toMatch(/export: done, \d+ sessions, \d+ messages in \d+s/);
  });
});
