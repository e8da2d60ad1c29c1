import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@sessions/core';
import { requireService } from '@sessions/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './support/run-bin.js';

const postgresUrl = requireService('postgres');
const MESSAGES = 100_000;
const PER_SESSION = 20_000;
// A heap far smaller than the data (100,000 × 1 KB ≈ 100 MB): only a streamed export/import fits.
const SMALL_HEAP = ['--max-old-space-size=64'];

describe.skipIf(!postgresUrl)('sessions export / import of 100,000 messages', () => {
  const run = randomUUID().slice(0, 8);
  const from = `${postgresUrl}?schema=cli_exp_${run}`;
  const to = `${postgresUrl}?schema=cli_imp_${run}`;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sessions-export-'));
    const store = await openStore(from);
    try {
      await store.setup();
      const body = 'x'.repeat(1000);
      for (let s = 0; s < MESSAGES / PER_SESSION; s++) {
        for (let i = 0; i < PER_SESSION; i += 1000) {
          const batch = Array.from({ length: 1000 }, (_, k) => ({ role: 'user', content: body, n: i + k }));
          await store.append('bulk', `s${s}`, batch);
        }
      }
    } finally {
      await store.close();
    }
  }, 300_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('streams to a file and back in a 64 MB heap, and the counts match', async () => {
    const file = join(dir, 'bulk.jsonl');
    const exported = await runBin(['export', '--store', from, '--out', file, '--json'], { nodeArgs: SMALL_HEAP, timeoutMs: 300_000 });
    expect(exported.stderr).not.toMatch(/heap|sessions:/i);
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ sessions: 5, messages: MESSAGES });
    expect((await stat(file)).size).toBeGreaterThan(MESSAGES * 1000);

    const migrated = await runBin(['migrate', '--store', to]);
    expect(migrated.code).toBe(0);
    const imported = await runBin(['import', '--store', to, '--in', file, '--json'], { nodeArgs: SMALL_HEAP, timeoutMs: 300_000 });
    expect(imported.stderr).not.toMatch(/heap|sessions:/i);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ sessions: 5, messages: MESSAGES });

    const stats = await runBin(['stats', 'bulk', '--store', to, '--json']);
    expect(JSON.parse(stats.stdout)).toMatchObject({ sessions: 5, messages: MESSAGES });
    const last = await runBin(['show', 'bulk', 's4', '--last', '1', '--store', to, '--json']);
    const session = JSON.parse(last.stdout) as { lastSeq: number; messages: { seq: number; message: { n: number } }[] };
    expect(session.lastSeq).toBe(PER_SESSION);
    expect(session.messages[0]).toMatchObject({ seq: PER_SESSION, message: { n: PER_SESSION - 1 } });
  });
});
