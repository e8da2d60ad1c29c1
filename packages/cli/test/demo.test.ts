import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './support/run-bin.js';

describe('sessions demo on the default store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sessions-demo-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs with no server, persists in ./.sessions, and a second run sees the first', async () => {
    // SESSIONS_STORE is cleared by runBin: this is the embedded default store.
    const first = await runBin(['demo'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('run #1');
    expect(first.stdout).toContain('duplicate=true');
    expect(first.stdout).toContain('refused: CONFLICT');
    expect(first.stdout).toMatch(/ticket-1 under demo-bob: not found/);
    expect(first.stdout).toContain('forkedFrom');

    const second = await runBin(['demo', '--json'], { cwd: dir });
    expect(second.code).toBe(0);
    const summary = JSON.parse(second.stdout) as { run: number; ticket: string; aliceSessions: number; isolated: boolean; messages: number };
    expect(summary.run).toBe(2);
    expect(summary.ticket).toBe('ticket-2');
    // Both runs' tickets and forks are there: the store persisted between processes.
    expect(summary.aliceSessions).toBe(4);
    expect(summary.isolated).toBe(true);
    expect(summary.messages).toBe(16);

    const listing = await runBin(['ls', 'demo-alice', '--json'], { cwd: dir });
    expect(listing.code).toBe(0);
    const ids = (JSON.parse(listing.stdout) as { items: { id: string }[] }).items.map((s) => s.id).sort();
    expect(ids).toEqual(['ticket-1', 'ticket-1-what-if', 'ticket-2', 'ticket-2-what-if']);
  });
});
