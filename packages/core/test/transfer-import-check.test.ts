import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSessions, exportToFile, importSessions, InMemorySessionStore, type SessionStore } from '../src/index.js';
import { expectCode } from './helpers.js';

/** Everything a store holds, as `user/session: seqs`, to show that nothing was written. */
async function held(store: SessionStore): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for await (const user of store.listUsers()) {
    const page = await store.listSessions(user, { limit: 1000 });
    for (const s of page.items) out[`${user}/${s.id}`] = (await store.getMessages(user, s.id)).map((m) => m.seq);
  }
  return out;
}

async function exportText(store: SessionStore, userIds?: string[]): Promise<string> {
  let text = '';
  for await (const chunk of exportSessions(store, userIds ? { userIds } : {})) text += chunk;
  return text;
}

/** A re-readable source over a text, as a file would be; counts how often it was opened. */
function reopenable(text: string) {
  const source = () => {
    source.opened++;
    return [text];
  };
  source.opened = 0;
  return source;
}

describe('import checks the whole file before writing', () => {
  let text: string;
  beforeAll(async () => {
    const origin = new InMemorySessionStore();
    await origin.append('alice', 'a1', [{ n: 1 }, { n: 2 }, { n: 3 }]);
    await origin.append('alice', 'a2', [{ n: 1 }]);
    await origin.append('mallory', 'm1', [{ evil: true }]);
    text = await exportText(origin, ['alice', 'mallory']);
  });

  it('with a target user, refuses a file holding another user\'s session, and writes nothing', async () => {
    const target = new InMemorySessionStore();
    const source = reopenable(text);
    const error = await expectCode(importSessions(target, source, { userId: 'alice' }), 'INVALID_ARGUMENT');
    expect(error.message).toMatch(/session "m1" belongs to user "mallory", but this import is for user "alice" only/);
    expect(error.message).toContain('nothing was written');
    expect(source.opened).toBe(1);
    expect(await held(target)).toEqual({});
  });

  it('with a target user, imports a file of that user only', async () => {
    const origin = new InMemorySessionStore();
    await origin.append('alice', 'a1', [{ n: 1 }]);
    const target = new InMemorySessionStore();
    const result = await importSessions(target, reopenable(await exportText(origin)), { userId: 'alice' });
    expect(result).toMatchObject({ sessions: 1, messages: 1 });
  });

  it('a one-shot source refuses the other user\'s line before writing it', async () => {
    const target = new InMemorySessionStore();
    const error = await expectCode(importSessions(target, [text], { userId: 'alice' }), 'INVALID_ARGUMENT');
    expect(error.message).toMatch(/belongs to user "mallory"/);
    expect(Object.keys(await held(target)).some((k) => k.startsWith('mallory/'))).toBe(false);
  });

  it('a truncated file or a bad last line writes nothing', async () => {
    const target = new InMemorySessionStore();
    const lines = text.trimEnd().split('\n');
    await expectCode(importSessions(target, reopenable(lines.slice(0, -1).join('\n'))), 'INVALID_ARGUMENT');
    await expectCode(importSessions(target, reopenable([...lines.slice(0, -2), '{"type":"message"', lines.at(-1)].join('\n'))), 'INVALID_ARGUMENT');
    expect(await held(target)).toEqual({});
  });

  it('an existing session with onExisting "error" is found before anything is written', async () => {
    const target = new InMemorySessionStore();
    await target.append('mallory', 'm1', { mine: true });
    const error = await expectCode(importSessions(target, reopenable(text)), 'ALREADY_EXISTS');
    expect(error.message).toContain('nothing was written');
    expect(await held(target)).toEqual({ 'mallory/m1': [1] });
  });

  it('resume refuses a live session of the same id before any write, even one with fewer messages', async () => {
    const target = new InMemorySessionStore();
    // A live session that happens to share the id: fewer messages than the file, so the old
    // importer resumed into it (wrote seq 2..3 after its own seq 1) before its check failed.
    await target.append('alice', 'a1', { live: 'conversation' });
    const error = await expectCode(importSessions(target, reopenable(text), { onExisting: 'resume' }), 'CONFLICT');
    expect(error.message).toMatch(/session "a1" of user "alice" cannot be resumed: .*another session with the same id/);
    expect(error.message).toContain('nothing was written');
    expect(await held(target)).toEqual({ 'alice/a1': [1] });
    expect(await target.getMessages('alice', 'a1')).toMatchObject([{ message: { live: 'conversation' } }]);
  });

  it('resume refuses an earlier import that was written to since, before any write', async () => {
    const target = new InMemorySessionStore();
    await importSessions(target, reopenable(text));
    await target.popMessage('alice', 'a1');
    await target.popMessage('alice', 'a1');
    await target.clearSession('alice', 'a2');
    // a1 now holds seq 1 only (fine: a prefix); a2 holds nothing though it reached seq 1 and
    // the file has seq 1: its count up to seq 0 is 0, so it is a prefix too. Make one that is not:
    await target.popMessage('mallory', 'm1');
    await target.append('mallory', 'm1', { planted: true }, {});
    const error = await expectCode(importSessions(target, reopenable(text), { onExisting: 'resume' }), 'CONFLICT');
    expect(error.message).toMatch(/session "m1" of user "mallory" cannot be resumed/);
    expect(error.message).toContain('nothing was written');
    expect((await held(target))['alice/a1']).toEqual([1]);
  });

  it('resume finishes an interrupted import and writes only what is missing', async () => {
    const target = new InMemorySessionStore();
    const lines = text.trimEnd().split('\n');
    // The first session and two of its three messages, as an interrupted import leaves it.
    const a1 = lines.findIndex((l) => l.includes('"id":"a1"'));
    await importSessions(target, [[lines[0], ...lines.slice(a1, a1 + 3), '{"type":"end","sessions":1,"messages":2}'].join('\n')]);
    expect(await held(target)).toEqual({ 'alice/a1': [1, 2] });
    const result = await importSessions(target, reopenable(text), { onExisting: 'resume' });
    expect(result).toEqual({ sessions: 3, messages: 3, skippedSessions: 0, skippedMessages: 2 });
    expect(await held(target)).toEqual({ 'alice/a1': [1, 2, 3], 'alice/a2': [1], 'mallory/m1': [1] });
  });

  it('reports the check pass, then the writes', async () => {
    const target = new InMemorySessionStore();
    const checks: number[] = [];
    const writes: number[] = [];
    await importSessions(target, reopenable(text), { onCheck: (p) => checks.push(p.messages), onProgress: (p) => writes.push(p.messages) });
    expect(checks.at(-1)).toBe(5);
    expect(writes.at(-1)).toBe(5);
  });

  it('a file read twice: the path form', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sessions-import-'));
    try {
      const path = join(dir, 'x.jsonl');
      await writeFile(path, text);
      const target = new InMemorySessionStore();
      await importSessions(target, () => createReadStream(path, { highWaterMark: 16 }), { userId: 'alice' }).catch(() => undefined);
      expect(await held(target)).toEqual({});
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('export text', () => {
  it('escapes what a terminal would act on, and imports back to the same values', async () => {
    const store = new InMemorySessionStore();
    const hostile = { content: 'esc \u001b]52;c;eA==\u0007 c1 \u009b31m bidi \u202eevil del \u007f sep \u2028' };
    await store.createSession('u', { sessionId: 's', metadata: { title: '\u009d0;title\u009c' } });
    await store.append('u', 's', hostile);
    const text = await exportText(store);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2028\u2029]/);
    const target = new InMemorySessionStore();
    await importSessions(target, [text]);
    expect((await target.getMessages('u', 's'))[0]!.message).toEqual(hostile);
    expect((await target.getSession('u', 's', { limit: 0 }))!.metadata).toEqual({ title: '\u009d0;title\u009c' });
  });
});

describe('exportToFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sessions-export-mode-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(process.platform === 'win32')('writes the file readable by its owner only, a new one and an existing one alike', async () => {
    const store = new InMemorySessionStore();
    await store.append('u', 's', { secret: 'conversation' });
    const fresh = join(dir, 'fresh.jsonl');
    await exportToFile(store, fresh);
    expect((await stat(fresh)).mode & 0o777).toBe(0o600);
    const existing = join(dir, 'existing.jsonl');
    await writeFile(existing, 'old', { mode: 0o644 });
    await exportToFile(store, existing);
    expect((await stat(existing)).mode & 0o777).toBe(0o600);
    await exportToFile(store, existing, { mode: 0o640 });
    expect((await stat(existing)).mode & 0o777).toBe(0o640);
  });
});
