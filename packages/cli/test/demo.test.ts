import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSessions, InMemorySessionStore } from '@sessions/core';
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

  it('runs with no server, persists in ./.sessions/sessions.db, and a second run sees the first', async () => {
    // SESSIONS_STORE is cleared by runBin: this is the embedded default store.
    const first = await runBin(['demo'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('run #1 on the sqlite store');
    expect(first.stdout).toContain('duplicate=true');
    expect(first.stdout).toContain('refused: CONFLICT');
    expect(first.stdout).toMatch(/ticket-1 under demo-bob: not found/);
    expect(first.stdout).toContain('forkedFrom');
    await access(join(dir, '.sessions', 'sessions.db'));

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

  it('four imports at once into the default store lose nothing', async () => {
    const work = await mkdtemp(join(tmpdir(), 'sessions-parallel-'));
    try {
      const files = await Promise.all(
        [0, 1, 2, 3].map(async (p) => {
          const origin = new InMemorySessionStore();
          for (let s = 0; s < 6; s++) await origin.append(`user-${p}`, `s${s}`, Array.from({ length: 20 }, (_, i) => ({ n: i })));
          let text = '';
          for await (const chunk of exportSessions(origin)) text += chunk;
          const file = join(work, `p${p}.jsonl`);
          await writeFile(file, text);
          return file;
        }),
      );
      const runs = await Promise.all(files.map((file) => runBin(['import', '--in', file, '--json'], { cwd: work })));
      for (const r of runs) {
        expect(r.stderr).not.toMatch(/sessions:/);
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ sessions: 6, messages: 120 });
      }
      const stats = await runBin(['stats', '--json'], { cwd: work });
      expect(JSON.parse(stats.stdout)).toMatchObject({ users: 4, sessions: 24, messages: 480 });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
