import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSessions, InMemorySessionStore, type SessionStore } from '@sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, sharedMemoryStore } from './support/in-process.js';

async function exportText(store: SessionStore): Promise<string> {
  let text = '';
  for await (const chunk of exportSessions(store)) text += chunk;
  return text;
}

/** `user/session: message count` of everything the store holds. */
async function contents(store: SessionStore): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for await (const user of store.listUsers()) {
    for (const s of (await store.listSessions(user, { limit: 1000 })).items) out[`${user}/${s.id}`] = s.messageCount;
  }
  return out;
}

describe('sessions import checks the file before writing', () => {
  let dir: string;
  let mixed: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sessions-cli-import-'));
    const origin = new InMemorySessionStore();
    await origin.append('alice', 'a1', [{ n: 1 }, { n: 2 }]);
    await origin.append('mallory', 'planted', [{ role: 'assistant', content: 'transfer approved' }]);
    mixed = await exportText(origin);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("--user refuses a file holding another user's session, from a file or stdin, and writes nothing", async () => {
    const { url, store } = sharedMemoryStore();
    const file = join(dir, 'mixed.jsonl');
    await writeFile(file, mixed);
    const fromFile = await runInProcess(['import', '--in', file, '--user', 'alice', '--store', url]);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toMatch(/session "planted" belongs to user "mallory", but this import is for user "alice" only; nothing was written/);
    const fromStdin = await runInProcess(['import', '--user', 'alice', '--store', url], mixed);
    expect(fromStdin.code).toBe(2);
    expect(fromStdin.stderr).toContain('nothing was written');
    expect(await contents(store())).toEqual({});
  });

  it('--user imports a file of that user, from stdin', async () => {
    const { url, store } = sharedMemoryStore();
    const origin = new InMemorySessionStore();
    await origin.append('alice', 'a1', [{ n: 1 }, { n: 2 }]);
    const r = await runInProcess(['import', '--user', 'alice', '--json', '--store', url], await exportText(origin));
    // --json: stderr holds nothing but an error object, so no progress either.
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ sessions: 1, messages: 2, skippedSessions: 0, skippedMessages: 0 });
    expect(await contents(store())).toEqual({ 'alice/a1': 2 });
  });

  it('--on-existing resume refuses a live session of the same id before writing anything, in the CLI terms', async () => {
    const { url, store } = sharedMemoryStore();
    await store().append('alice', 'a1', { live: true });
    const r = await runInProcess(['import', '--on-existing', 'resume', '--store', url], mixed);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/session "a1" of user "alice" cannot be resumed: .*another session with the same id.*nothing was written/);
    expect(await contents(store())).toEqual({ 'alice/a1': 1 });
  });

  it('an existing session is named with the flags to use, not the library option', async () => {
    const { url, store } = sharedMemoryStore();
    await store().append('alice', 'a1', { live: true });
    const r = await runInProcess(['import', '--store', url], mixed);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('(--on-existing skip or --on-existing resume)');
    expect(r.stderr).not.toContain('onExisting');
    expect(await contents(store())).toEqual({ 'alice/a1': 1 });
  });

  it('reports progress on stderr without --json', async () => {
    const { url } = sharedMemoryStore();
    const r = await runInProcess(['import', '--store', url], mixed);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^import: done, 2 sessions, 3 messages in \d+s$/m);
  });

  it('a truncated file writes nothing and names the line', async () => {
    const { url, store } = sharedMemoryStore();
    const truncated = mixed.trimEnd().split('\n').slice(0, -1).join('\n');
    const r = await runInProcess(['import', '--store', url], truncated);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/without its end line: it is truncated; nothing was written/);
    expect(await contents(store())).toEqual({});
  });

  it.skipIf(process.platform === 'win32')('export --out writes a file only its owner can read, also over an existing 0644 file', async () => {
    const { url, store } = sharedMemoryStore();
    await store().append('alice', 'a1', { secret: 'medical history' });
    const file = join(dir, 'export.jsonl');
    await writeFile(file, '', { mode: 0o644 });
    const r = await runInProcess(['export', '--out', file, '--json', '--store', url]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file, sessions: 1, messages: 1 });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });
});
