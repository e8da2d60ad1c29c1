import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runBin } from './support/run-bin.js';

/** One clear line on stderr (plus the --verbose hint), no stack trace. */
function expectOneLine(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr.trim().split('\n').filter((l) => !l.startsWith('(run again')).length).toBe(1);
}

describe('sessions error paths and exit codes', () => {
  it('an unknown scheme is a usage error (2) naming the schemes, without the password', async () => {
    const r = await runBin(['ls', 'alice', '--store', 'mysql://root:hunter2@db/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the scheme "mysql:" is not known; use one of .*sqlite:/);
    expect(r.stderr).not.toContain('hunter2');
    expectOneLine(r.stderr);
  });

  it('a refused connection is an operational error (1) in one line saying what to check, without the password', async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const r = await runBin(['ls', 'alice', '--store', 'postgres://app:s3cret@127.0.0.1:1/db'], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/nothing accepts connections at 127\.0\.0\.1:1 \(connection refused\): is the server running/);
    expect(r.stderr).not.toContain('s3cret');
  });

  it('an unknown host is named as such', async () => {
    const r = await runBin(['ls', 'alice', '--store', 'postgres://app@no-such-host.invalid/db'], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the host name no-such-host\.invalid cannot be resolved \(unknown host\)/);
  });

  it('passwords holding @ or / never reach the output, even with --verbose', async () => {
    for (const url of ['postgres://app:p@ss/w0rd@127.0.0.1:1/db', 'postgres://app:p@ssw0rd@127.0.0.1:1/db', 'redis://:hun/ter2@127.0.0.1:1', 'redis://u:hunter@two@127.0.0.1:1']) {
      const r = await runBin(['ls', 'alice', '--verbose', '--store', url], { timeoutMs: 60_000 });
      expect(r.code).not.toBe(0);
      for (const secret of ['p@ss', 'w0rd', 'hun/ter2', 'ter2', 'hunter@two', '@two']) expect(r.stderr).not.toContain(secret);
    }
  });

  it('an unreachable Redis fails fast with exit 1', async () => {
    const r = await runBin(['health', '--store', 'redis://127.0.0.1:1'], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a key that is not 32 random bytes is a usage error (2) that never shows the key', async () => {
    const r = await runBin(['ls', 'alice', '--store', 'memory:', '--encrypt-key', 'dG9vLXNob3J0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--encrypt-key \/ SESSIONS_ENCRYPTION_KEY is not usable: .*32/);
    expect(r.stderr).not.toContain('dG9vLXNob3J0');
  });

  it('unknown commands and missing arguments are usage errors (2)', async () => {
    expect((await runBin(['frobnicate'])).code).toBe(2);
    expect((await runBin(['show', 'alice', '--store', 'memory:'])).code).toBe(2);
    expect((await runBin(['ls', 'alice', '--limit', 'many', '--store', 'memory:'])).code).toBe(2);
  });

  it('an invalid argument reaching the store is a usage error (2)', async () => {
    const r = await runBin(['ls', 'alice', '--limit', '5000', '--store', 'memory:']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('[sessions] [memory] limit must be at most 1000');
  });

  it('a missing session is an operational error (1); --verbose adds the stack', async () => {
    const quiet = await runBin(['show', 'alice', 'nope', '--store', 'memory:']);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toContain('no session "nope"');
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const verbose = await runBin(['show', 'alice', 'nope', '--store', 'memory:', '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('--json reports an error as one JSON object on stderr', async () => {
    const r = await runBin(['ls', 'alice', '--limit', '5000', '--store', 'memory:', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({ error: { message: expect.stringContaining('limit must be at most 1000') as unknown, code: 'INVALID_ARGUMENT', exitCode: 2 } });
  });

  it('a missing import file is one clear line (1)', async () => {
    const r = await runBin(['import', '--in', '/nonexistent/backup.jsonl', '--store', 'memory:']);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain('/nonexistent/backup.jsonl');
  });

  it('a truncated import names the line and exits 2', async () => {
    const r = await runBin(['import', '--store', 'memory:'], { input: '{"format":"@sessions/export","version":1,"exportedAt":"2026-01-01T00:00:00.000Z"}\n{"type":"session"\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 2/);
  });

  it('a reader that closes the pipe early (sessions demo | head -1) ends the command quietly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sessions-pipe-'));
    try {
      const child = spawn(process.execPath, [BIN, 'demo'], { cwd: dir, env: { ...process.env, SESSIONS_STORE: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).not.toMatch(/EPIPE|Unhandled/);
      expect(code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--help lists every command with examples, exit 0', async () => {
    const r = await runBin(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['demo', 'ls', 'show', 'rm', 'rm-user', 'export', 'import', 'copy', 'prune', 'migrate', 'health', 'stats']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    }
    expect(r.stdout).toContain('sqlite:./.sessions/sessions.db');
    const sub = await runBin(['copy', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('Examples:');
  });
});
