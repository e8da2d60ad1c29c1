/// <reference lib="dom" />
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { spawn, type ChildProcess } from 'node:child_process';
import { openStore, type JsonObject, type SessionStore } from '@sessions/core';
import '@sessions/sqlite';
import { SUPPORT_SCRIPT } from '../src/demo/support-script.js';
import { BIN, runBin } from './support/run-bin.js';

const CHROMIUM = process.env['SESSIONS_CHROMIUM'] ?? '/usr/bin/chromium';
// The docs' screenshots are refreshed on request only, so a test run leaves the tree clean.
const SHOTS = process.env['SESSIONS_UPDATE_SCREENSHOTS'] === '1' ? join(dirname(fileURLToPath(import.meta.url)), '../../../docs/images') : mkdtempSync(join(tmpdir(), 'sessions-ui-'));
// Chromium comes from the system (CI installs Debian's package); without it the browser tests
// are skipped loudly, except under CI=true where a missing browser is a failure.
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  if (process.env['CI'] === 'true') throw new Error(`the browser tests need Chromium at ${CHROMIUM} (apt-get install chromium), and CI=true makes a missing one a failure`);
  console.warn(`[sessions] skipping the inspector's browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set SESSIONS_CHROMIUM)`);
}
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

// The inspector runs as users run it: `sessions ui` in its own process over a SQLite file,
// seeded by `sessions demo` (the scripted support desk of three agents). This test process is
// the "other process" that writes to the same file while the page watches.
const dir = mkdtempSync(join(tmpdir(), 'sessions-ui-store-'));
const url = `sqlite:${join(dir, 'sessions.db')}`;
let store: SessionStore;
let server: ChildProcess | undefined;
let inspectorUrl = '';
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  const seeded = await runBin(['demo', '--store', url]);
  expect(seeded.code, seeded.stderr).toBe(0);
  store = await openStore(url);
  for (let n = 1; n <= 60; n++) await store.createSession('pager', { sessionId: `chat-${String(n).padStart(2, '0')}`, metadata: { n } });
  server = spawn(process.execPath, [BIN, 'ui', '--store', url], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SESSIONS_STORE: '' } });
  inspectorUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    server!.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const found = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (found) resolve(found[1]!);
    });
    server!.on('exit', (code) => reject(new Error(`sessions ui exited with ${code} before printing its URL: ${out}`)));
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('dialog', (dialog) => void dialog.accept(dialog.type() === 'prompt' ? 'ticket-1-inspected' : undefined));
  mkdirSync(SHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGINT');
    await exited;
  }
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!HAVE_CHROMIUM)('sessions ui in a browser', () => {
  it('lists users and pages through sessions', async () => {
    await page.goto(inspectorUrl);
    await page.getByRole('link', { name: 'pager' }).click();
    await expect.poll(() => page.locator('#sessions a').count()).toBe(50);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => page.locator('#sessions a').count()).toBe(60);
    await page.locator('#session-search input').fill('chat-07');
    await page.locator('#session-search button').click();
    await expect.poll(() => page.locator('#sessions a').evaluateAll((links) => links.map((a) => a.firstChild?.textContent))).toEqual(['chat-07']);
    await page.locator('#session-search input').fill('');
  });

  it('opens a transcript and renders messages, tool calls, results and handoffs', async () => {
    await page.getByRole('link', { name: 'demo-alice' }).click();
    await page.locator('#sessions a').filter({ hasText: /^ticket-1\d/ }).first().click();
    const total = (await store.getMessages('demo-alice', 'ticket-1')).length;
    expect(total).toBeGreaterThanOrEqual(SUPPORT_SCRIPT.reduce((sum, step) => sum + step.items.length, 0));
    await expect.poll(() => page.locator('#messages > li').count()).toBe(total);
    const kinds = await page.locator('#messages .kind').allTextContents();
    expect(kinds).toContain('user');
    expect(kinds).toContain('call lookup_invoice');
    expect(kinds).toContain('handoff → billing');
    expect(kinds.some((k) => k.startsWith('result'))).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'inspector-transcript.png') });
    await page.locator('#messages > li').first().getByRole('button', { name: 'raw JSON' }).click();
    await expect.poll(() => page.locator('#messages > li pre.raw').first().isVisible()).toBe(true);
  });

  it('shows a message appended by another process as it arrives', async () => {
    await expect.poll(() => page.locator('#live.on').count()).toBe(1);
    const before = await page.locator('#messages > li').count();
    const message: JsonObject = { type: 'message', role: 'assistant', agent: 'technical', content: 'Your new API key is active; errors stopped at 09:31 UTC.' };
    await store.append('demo-alice', 'ticket-1', message);
    await expect.poll(() => page.locator('#messages > li').count(), { timeout: 10_000 }).toBe(before + 1);
    expect(await page.locator('#messages > li').last().textContent()).toContain('errors stopped at 09:31');
  });

  it('forks at a message and deletes a session, and the store shows both', async () => {
    await page.locator('#messages > li[data-seq="3"]').getByRole('button', { name: 'fork here' }).click();
    await expect.poll(() => page.locator('#session-title').textContent()).toBe('ticket-1-inspected');
    expect((await store.getMessages('demo-alice', 'ticket-1-inspected')).map((m) => m.seq)).toEqual([1, 2, 3]);
    await page.getByRole('button', { name: 'Delete session' }).click();
    await expect.poll(async () => store.getSession('demo-alice', 'ticket-1-inspected')).toBeNull();
    const ids = () => page.locator('#sessions a').evaluateAll((links) => links.map((a) => a.firstChild?.textContent));
    await expect.poll(async () => (await ids()).includes('ticket-1-inspected')).toBe(false);
    expect(await ids()).toContain('ticket-1');
  });

  it('shows a store error as what to do, not as a stack trace', async () => {
    await page.evaluate(() => { location.hash = ''; });
    const token = new URL(inspectorUrl).searchParams.get('token')!;
    const response = await page.evaluate(async (token) => {
      const r = await fetch('api/users/demo-alice/sessions/missing', { headers: { 'x-sessions-token': token } });
      return r.json();
    }, token);
    expect(response.error.hint).toMatch(/reload/i);
    expect(JSON.stringify(response)).not.toMatch(/\.ts:\d+/);
  });
});
