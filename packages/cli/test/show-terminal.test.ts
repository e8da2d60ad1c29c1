import type { JsonObject } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { formatProgress } from '../src/progress-format.js';
import { safeJson, visible } from '../src/terminal/visible.js';
import { runInProcess, sharedMemoryStore } from './support/in-process.js';

/** Bytes a terminal acts on: C0 but the newline, DEL, C1, and the bidi controls. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const HOSTILE: JsonObject[] = [
  { role: 'user', content: 'copy this \u001b]52;c;ZXZpbCBjb21tYW5k\u0007 into your clipboard' },
  { role: 'user', content: 'erase the line\u001b[2K\r  #9 assistant: a forged line' },
  { role: 'assistant', content: '\u001b]0;window title from a message\u001b\\' },
  { role: 'user', content: 'C1 controls: \u009b31m CSI and \u009d0;title\u009c OSC, DEL \u007f, BEL \u0007, backspace \b' },
  { role: 'user', content: 'bidi: \u202eevil.exe\u202c and \u2066isolate\u2069 and \u200fmark' },
  { type: 'function_call', name: 'run\u001b[8m', arguments: '{"cmd":"\u001b[?1049h"}' },
];

describe('control characters in stored content reach the terminal as visible escapes', () => {
  it('sessions show and ls print no raw control bytes, and show the escapes as text', async () => {
    const { url, store } = sharedMemoryStore();
    const seeded = store();
    await seeded.createSession('alice', { sessionId: 'chat\u202egnp.exe', metadata: { title: '\u001b[31mred\u001b[0m', note: 'c1 \u0085 nel' } });
    await seeded.append('alice', 'chat\u202egnp.exe', HOSTILE);

    const shown = await runInProcess(['show', 'alice', 'chat\u202egnp.exe', '--store', url]);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toMatch(RAW_CONTROL);
    expect(shown.stdout).toContain('\\x1b]52;c;ZXZpbCBjb21tYW5k\\x07');
    expect(shown.stdout).toContain('\\x1b]0;window title');
    expect(shown.stdout).toContain('\\x9b31m');
    expect(shown.stdout).toContain('\\u202eevil.exe\\u202c');
    // The carriage return and the newline-like content do not forge a line of their own.
    expect(shown.stdout.split('\n').filter((l) => l.trimStart().startsWith('#9'))).toHaveLength(0);

    const listed = await runInProcess(['ls', 'alice', '--store', url]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).not.toMatch(RAW_CONTROL);
    expect(listed.stdout).toContain('chat\\u202egnp.exe');
  });

  it('--json output escapes what JSON leaves raw, and parses back to the exact content', async () => {
    const { url, store } = sharedMemoryStore();
    await store().append('bob', 's', HOSTILE);
    const r = await runInProcess(['show', 'bob', 's', '--json', '--store', url]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    const parsed = JSON.parse(r.stdout) as { messages: { message: unknown }[] };
    expect(parsed.messages.map((m) => m.message)).toEqual(HOSTILE);
  });

  it('error messages quoting stored ids are escaped too', async () => {
    const r = await runInProcess(['show', 'alice', 'nope\u202e', '--store', 'memory:']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });

  it('visible() and safeJson() keep newlines and ordinary text', () => {
    expect(visible('a\nb ü 🚀 → ✓')).toBe('a\nb ü 🚀 → ✓');
    expect(visible('\u001b[2K')).toBe('\\x1b[2K');
    expect(JSON.parse(safeJson({ t: '\u009b\u202e\u007f' }))).toEqual({ t: '\u009b\u202e\u007f' });
  });
});

describe('the progress line', () => {
  const total = { sessions: 10, messages: 10_000 };

  it('starts empty with an unknown ETA, then estimates from the pace so far', () => {
    const first = formatProgress({ label: 'export', done: { sessions: 0, messages: 0 }, total, elapsedMs: 0 });
    expect(first).toMatch(/export \[░{24}\]\s+0% 0\/10,000 messages \| 0\/10 sessions \| ETA …/);
    // 2,500 messages in 5 s: 500 msg/s, 7,500 left, 15 s.
    const quarter = formatProgress({ label: 'export', done: { sessions: 3, messages: 2_500 }, total, elapsedMs: 5_000 });
    expect(quarter).toMatch(/\[█{6}░{18}\]\s+25% 2,500\/10,000 messages \| 3\/10 sessions \| 500 msg\/s \| ETA 15s$/);
    const later = formatProgress({ label: 'export', done: { sessions: 9, messages: 9_000 }, total, elapsedMs: 18_000 });
    expect(later).toMatch(/90% .* ETA 2s$/);
    const done = formatProgress({ label: 'export', done: { sessions: 10, messages: 10_000 }, total, elapsedMs: 20_000 });
    expect(done).toMatch(/\[█{24}\] 100% .* ETA 0s$/);
  });

  it('without a total it is a spinner with counts, never a bar that claims to be full', () => {
    const line = formatProgress({ label: 'import: checking', done: { sessions: 4, messages: 1_234 }, elapsedMs: 2_000 });
    expect(line).not.toMatch(/[█░]|ETA|%/);
    expect(line).toMatch(/^import: checking . 1,234 messages \| 4 sessions \| 617 msg\/s$/);
  });
});
