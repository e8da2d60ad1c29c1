// How long the session inspector takes to show its first page on a store with 10,000
// sessions: the page, its scripts, the users list and the first user's first page of sessions,
// fetched as the browser does. Over a SQLite file (the default store) seeded directly.
//   npx tsx --conditions=@sessions/source tools/bench/scripts/inspector-first-page.ts [sessions] [users]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@sessions/core';
import '@sessions/sqlite';
import { startInspector } from '@sessions/cli';

const sessions = Number(process.argv[2] ?? 10_000);
const users = Number(process.argv[3] ?? 100);
const dir = mkdtempSync(join(tmpdir(), 'inspector-bench-'));
const store = await openStore(`sqlite:${join(dir, 'sessions.db')}`);
await store.setup();
for (let i = 0; i < sessions; i++) {
  await store.append(`user-${String(i % users).padStart(3, '0')}`, `session-${i}`, [{ role: 'user', content: `hello ${i}` }, { role: 'assistant', content: 'hi' }]);
}
const inspector = await startInspector({ store });
const base = `http://127.0.0.1:${inspector.port}`;
const headers = { 'x-sessions-token': inspector.token };
const times: number[] = [];
for (let run = 0; run < 21; run++) {
  const started = performance.now();
  await Promise.all([
    fetch(`${base}/?token=${inspector.token}`).then((r) => r.text()),
    fetch(`${base}/assets/app.js`).then((r) => r.text()),
    fetch(`${base}/assets/render.js`).then((r) => r.text()),
    fetch(`${base}/assets/app.css`).then((r) => r.text()),
  ]);
  const { users: listed } = (await (await fetch(`${base}/api/users`, { headers })).json()) as { users: string[] };
  await (await fetch(`${base}/api/users/${encodeURIComponent(listed[0]!)}/sessions`, { headers })).json();
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
process.stdout.write(`${sessions} sessions of ${users} users: first page (page, scripts, users, first user's sessions) p50 ${times[10]!.toFixed(1)} ms, max ${times[20]!.toFixed(1)} ms over 21 loads\n`);
await inspector.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
