import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import {
  copySessions,
  exportSessions,
  exportToFile,
  importSessions,
  InMemorySessionStore,
  type SessionStore,
} from '../src/index.js';
import { expectCode, FakeClock } from './helpers.js';

/** Everything a store holds, sorted, for deep comparison. */
async function dump(store: SessionStore) {
  const users: string[] = [];
  for await (const user of store.listUsers()) users.push(user);
  const sessions = [];
  for (const user of users.sort()) {
    let cursor: string | null = null;
    do {
      const page = await store.listSessions(user, { limit: 2, cursor });
      for (const info of page.items) sessions.push(await store.getSession(user, info.id));
      cursor = page.nextCursor;
    } while (cursor);
  }
  return sessions.sort((a, b) => `${a?.userId}/${a?.id}`.localeCompare(`${b?.userId}/${b?.id}`));
}

/** A source with gaps after pops, a cleared session, metadata, expiry, unicode and several users. */
async function source() {
  const clock = new FakeClock(Date.now());
  const store = new InMemorySessionStore({ clock: clock.now, ttlMs: 3_600_000 });
  await store.createSession('alice', { sessionId: 'chat 1', metadata: { title: 'Héllo 👋', tags: ['a'] } });
  await store.append('alice', 'chat 1', Array.from({ length: 7 }, (_, i) => ({ role: 'user', content: `m${i}`, args: { n: i } })));
  clock.advance(5);
  await store.popMessage('alice', 'chat 1');
  await store.popMessage('alice', 'chat 1');
  await store.append('alice', 'chat 1', { role: 'assistant', content: 'after gap' });
  clock.advance(5);
  await store.createSession('alice', { sessionId: 'forever', ttlMs: null });
  await store.append('alice', 'cleared', [{ a: 1 }, { a: 2 }]);
  await store.clearSession('alice', 'cleared');
  await store.append('bob', "b'; --", { deep: { x: [1, { y: null }] } });
  return { store, clock };
}

describe('export, import, copy', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('round-trips through the JSON Lines text exactly: seq gaps, lastSeq, timestamps, expiry, metadata', async () => {
    const { store } = await source();
    const lines: string[] = [];
    for await (const chunk of exportSessions(store, { pageSize: 2 })) lines.push(chunk);
    const text = lines.join('');
    const header = JSON.parse(text.split('\n')[0]!) as Record<string, unknown>;
    expect(header).toMatchObject({ format: '@sessions/export', version: 1 });
    expect(text.trimEnd().split('\n').at(-1)).toBe('{"type":"end","sessions":4,"messages":7}');

    const target = new InMemorySessionStore();
    const result = await importSessions(target, [text]);
    expect(result).toEqual({ sessions: 4, messages: 7, skippedSessions: 0, skippedMessages: 0 });
    const [expected, actual] = [await dump(store), await dump(target)];
    expect(actual).toEqual(expected);
    expect(actual.find((s) => s?.id === 'chat 1')?.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 8]);
  });

  it('copies store to store with the same result, and reports progress', async () => {
    const { store } = await source();
    const target = new InMemorySessionStore();
    const progress: number[] = [];
    const result = await copySessions(store, target, { pageSize: 3, batchSize: 2, onProgress: (p) => progress.push(p.messages) });
    expect(result).toEqual({ sessions: 4, messages: 7, skippedSessions: 0, skippedMessages: 0 });
    expect(await dump(target)).toEqual(await dump(store));
    expect(progress.at(-1)).toBe(7);
  });

  it('exports to a file and imports from a file stream', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sessions-core-'));
    const path = join(dir, 'export.jsonl');
    const { store } = await source();
    expect(await exportToFile(store, path)).toEqual({ sessions: 4, messages: 7 });
    expect((await readFile(path, 'utf8')).split('\n').filter(Boolean)).toHaveLength(1 + 4 + 7 + 1);
    const target = new InMemorySessionStore();
    await importSessions(target, createReadStream(path, { highWaterMark: 7 }));
    expect(await dump(target)).toEqual(await dump(store));
  });

  it('reads chunks split inside multi-byte characters and CRLF line ends', async () => {
    const { store } = await source();
    let text = '';
    for await (const chunk of exportSessions(store)) text += chunk;
    const bytes = Buffer.from(text.replaceAll('\n', '\r\n'), 'utf8');
    const chunks = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, i) => bytes.subarray(i * 3, i * 3 + 3));
    const target = new InMemorySessionStore();
    await importSessions(target, Readable.from(chunks));
    expect(await dump(target)).toEqual(await dump(store));
  });

  it('onExisting: error stops, skip leaves the target alone, resume adds only what is missing', async () => {
    const { store } = await source();
    const target = new InMemorySessionStore();
    await target.append('alice', 'chat 1', { mine: true });
    await expectCode(copySessions(store, target), 'ALREADY_EXISTS');

    const skipped = new InMemorySessionStore();
    await skipped.append('alice', 'chat 1', { mine: true });
    const result = await copySessions(store, skipped, { onExisting: 'skip' });
    expect(result).toEqual({ sessions: 3, messages: 1, skippedSessions: 1, skippedMessages: 6 });
    expect((await skipped.getMessages('alice', 'chat 1')).map((m) => m.message)).toEqual([{ mine: true }]);
  });

  it('resumes an interrupted copy and verifies the counts', async () => {
    const { store } = await source();
    const target = new InMemorySessionStore();
    // Interrupt: a target that fails after its third restoreMessages call.
    let calls = 0;
    const flaky = new Proxy(target, {
      get(object, key, receiver) {
        if (key === 'restoreMessages' && ++calls > 2) return () => Promise.reject(new Error('connection reset'));
        return Reflect.get(object, key, receiver) as unknown;
      },
    });
    await expectCode(copySessions(store, flaky, { batchSize: 2 }), 'UNAVAILABLE');
    await expectCode(copySessions(store, target, { batchSize: 2 }), 'ALREADY_EXISTS');
    const resumed = await copySessions(store, target, { batchSize: 2, onExisting: 'resume' });
    expect(resumed.skippedMessages).toBeGreaterThan(0);
    expect(resumed.messages + resumed.skippedMessages).toBe(7);
    expect(await dump(target)).toEqual(await dump(store));
    // Re-running a finished copy with resume writes nothing more.
    expect(await copySessions(store, target, { onExisting: 'resume' })).toMatchObject({ messages: 0, skippedMessages: 7 });
  });

  it('fails verification when the target holds a different number of messages', async () => {
    const { store } = await source();
    const target = new InMemorySessionStore();
    await copySessions(store, target);
    await target.popMessage('alice', 'chat 1');
    await target.append('alice', 'chat 1', [{ extra: 1 }, { extra: 2 }]);
    const error = await expectCode(copySessions(store, target, { onExisting: 'resume' }), 'CONFLICT');
    expect(error.message).toContain('chat 1');
  });

  it('copies only the given users', async () => {
    const { store } = await source();
    const target = new InMemorySessionStore();
    expect(await copySessions(store, target, { userIds: ['bob'] })).toMatchObject({ sessions: 1, messages: 1 });
    expect((await dump(target)).map((s) => s?.userId)).toEqual(['bob']);
  });
});

describe('import errors name the line', () => {
  const header = '{"format":"@sessions/export","version":1,"exportedAt":"2026-01-01T00:00:00.000Z"}';
  const session = '{"type":"session","userId":"u","id":"s","metadata":{},"createdAt":"2026-01-01T00:00:00.000Z","updatedAt":"2026-01-01T00:00:00.000Z","expiresAt":null,"lastSeq":2}';
  const message = (seq: number) => `{"type":"message","seq":${seq},"createdAt":"2026-01-01T00:00:00.000Z","message":{"n":${seq}}}`;
  const end = (sessions: number, messages: number) => `{"type":"end","sessions":${sessions},"messages":${messages}}`;
  const run = (...lines: string[]) => importSessions(new InMemorySessionStore(), [lines.join('\n')]);

  it.each([
    ['an empty input', [], /empty/],
    ['a file that is not an export', ['{"hello":"world"}', session], /line 1: not an @sessions\/export file/],
    ['a header that is not JSON', ['not json'], /line 1 is not valid JSON/],
    ['an unsupported version', [header.replace('"version":1', '"version":2'), session], /line 1: export version 2 is not supported/],
    ['a truncated line', [header, session, message(1), message(2).slice(0, 30)], /line 4 is not valid JSON/],
    ['a missing end line', [header, session, message(1)], /ends at line 3 without its end line/],
    ['an unknown line type', [header, '{"type":"user"}'], /line 2: unknown line type "user"/],
    ['a message before any session', [header, message(1)], /line 2: a message line before any session/],
    ['a bad date', [header, session.replace('"2026-01-01T00:00:00.000Z"', '"yesterday"')], /line 2: createdAt must be an ISO 8601/],
    ['a bad seq', [header, session, message(0)], /line 3: a message line needs seq/],
    ['wrong end counts', [header, session, message(1), end(1, 5)], /line 4: the end line counts 1 sessions and 5 messages/],
    ['data after the end line', [header, session, end(1, 0), session], /line 4: data after the end line/],
  ])('rejects %s', async (_name, lines, pattern) => {
    const error = await expectCode(run(...(lines as string[])), 'INVALID_ARGUMENT');
    expect(error.message).toMatch(pattern);
  });

  it('refuses a message the target refuses (seq above lastSeq), naming the session', async () => {
    const error = await expectCode(run(header, session, message(3), end(1, 1)), 'INVALID_ARGUMENT');
    expect(error.message).toContain('session "s" of user "u"');
  });

  it('imports a well-formed file and skips blank lines', async () => {
    const store = new InMemorySessionStore();
    const result = await importSessions(store, [header + '\n\n' + session + '\n' + message(1) + '\n', message(2) + '\n' + end(1, 2) + '\n\n']);
    expect(result).toEqual({ sessions: 1, messages: 2, skippedSessions: 0, skippedMessages: 0 });
    expect((await store.getMessages('u', 's')).map((m) => m.message)).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
