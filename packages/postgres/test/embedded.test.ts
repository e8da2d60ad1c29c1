import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresSessionStore } from '@sessions/postgres';
import { afterAll, describe, expect, it } from 'vitest';

describe('PostgresSessionStore.openEmbedded (PGlite in a folder)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('creates its tables, keeps the data across a close and a reopen, and owns the database', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'sessions-pglite-'));
    dirs.push(dataDir);
    const first = await PostgresSessionStore.openEmbedded({ dataDir });
    await first.append('alice', 'chat', [{ role: 'user', content: 'kept on disk \u0000 \ud800 ü🙂' }], { idempotencyKey: 'k' });
    await first.close();
    await expect(first.getSession('alice', 'chat')).rejects.toMatchObject({ code: 'CLOSED' });

    const second = await PostgresSessionStore.openEmbedded({ dataDir });
    try {
      const session = await second.getSession('alice', 'chat');
      expect(session?.messages.map((m) => m.message)).toEqual([{ role: 'user', content: 'kept on disk \u0000 \ud800 ü🙂' }]);
      expect(await second.append('alice', 'chat', { role: 'user', content: 'x' }, { idempotencyKey: 'k' })).toEqual({
        firstSeq: 1,
        lastSeq: 1,
        duplicate: true,
      });
      expect(await second.migrate(), 'reopening found the tables up to date').toMatchObject({ applied: [] });
    } finally {
      await second.close();
    }
  });
});
