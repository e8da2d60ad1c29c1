import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, sharedMemoryStore } from './support/in-process.js';

const onPosix = process.platform !== 'win32';

describe.skipIf(!onPosix)('--encrypt-key-file', () => {
  let dir: string;
  const key = randomBytes(32).toString('base64');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sessions-keys-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const keyFile = async (name: string, text: string, mode: number) => {
    const path = join(dir, name);
    await writeFile(path, text);
    await chmod(path, mode);
    return path;
  };

  it('refuses a key file other users can read, saying how to fix it, without showing the key', async () => {
    const path = await keyFile('open.key', `${key}\n`, 0o644);
    const r = await runInProcess(['ls', 'alice', '--store', 'memory:', '--encrypt-key-file', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the key file ${path} can be read or written by other users (mode 0644); make it private with: chmod 600 ${path}`);
    expect(r.stderr).not.toContain(key);
  });

  it('encrypts with the keys of a private file (comments and one key per line), and reads back with them', async () => {
    const { url, store } = sharedMemoryStore();
    const older = randomBytes(32).toString('base64');
    const path = await keyFile('private.key', `# current first\n2026-02:${key}\n2026-01:${older}\n`, 0o600);
    const demo = await runInProcess(['demo', '--json', '--store', url, '--encrypt-key-file', path]);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    // Stored: ciphertext only. A store without the key does not show the conversation.
    const raw = await store().getMessages('demo-alice', 'ticket-1').then(
      (messages) => JSON.stringify(messages),
      (error: unknown) => String(error),
    );
    expect(raw).not.toContain('charged twice');
    // With the key: the conversation, in clear.
    const shown = await runInProcess(['show', 'demo-alice', 'ticket-1', '--store', url, '--encrypt-key-file', path]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('charged twice');
  });

  it('a key on the command line works, with a note that other users can see it', async () => {
    const { url } = sharedMemoryStore();
    const r = await runInProcess(['demo', '--store', url, '--encrypt-key', key]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/a key on the command line is visible to other users of this machine \(ps\); prefer --encrypt-key-file/);
  });

  it('data written under a bare key stays readable when the key is named for a rotation', async () => {
    const { url: encrypted } = sharedMemoryStore();
    expect((await runInProcess(['demo', '--store', encrypted, '--encrypt-key', key])).code).toBe(0);
    const rotated = await keyFile('rotated.key', `2026-02:${randomBytes(32).toString('base64')}\n2026-01:${key}\n`, 0o600);
    const shown = await runInProcess(['show', 'demo-alice', 'ticket-1', '--store', encrypted, '--encrypt-key-file', rotated]);
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toContain('charged twice');
  });

  it('both --encrypt-key and --encrypt-key-file is a usage error', async () => {
    const path = await keyFile('both.key', key, 0o600);
    const r = await runInProcess(['ls', 'alice', '--store', 'memory:', '--encrypt-key', key, '--encrypt-key-file', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not both');
    expect(r.stderr).not.toContain(key);
  });
});
