import { describe, expect, it } from 'vitest';
import { runBin } from './support/run-bin.js';

/** One clear line on stderr (plus the --verbose hint), no stack trace. */
function expectOneLine(stderr: string) {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr.trim().split('\n').filter((l) => !l.startsWith('(run again')).length).toBe(1);
}

describe('sessions error paths and exit codes', () => {
  it('a malformed store URL is a usage error (2) naming the accepted forms', async () => {
    const r = await runBin(['ls', 'alice', '--store', 'mysql://root:hunter2@db/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Accepted forms');
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unreachable server is an operational error (1) in one line, without the password', async () => {
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const r = await runBin(['ls', 'alice', '--store', 'postgres://app:s3cret@127.0.0.1:1/db'], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/UNAVAILABLE|unavailable|cannot|refused/i);
    expect(r.stderr).not.toContain('s3cret');
  });

  it('an unreachable Redis fails fast with exit 1', async () => {
    const r = await runBin(['health', '--store', 'redis://127.0.0.1:1'], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad encryption key is a usage error (2)', async () => {
    const r = await runBin(['ls', 'alice', '--store', 'memory:', '--encrypt-key', 'dG9vLXNob3J0']);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/encrypt-key/);
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

  it('--help lists every command with examples, exit 0', async () => {
    const r = await runBin(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['demo', 'ls', 'show', 'rm', 'rm-user', 'export', 'import', 'copy', 'prune', 'migrate', 'health', 'stats']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    }
    const sub = await runBin(['copy', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('Examples:');
  });
});
