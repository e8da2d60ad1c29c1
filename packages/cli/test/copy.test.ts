import { randomUUID } from 'node:crypto';
import { requireService } from '@sessions/test-services';
import { openStore, type SessionStore } from '@sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExport } from './support/export-compare.js';
import { runBin } from './support/run-bin.js';

const redisUrl = requireService('redis');
const postgresUrl = requireService('postgres');
const dynamoEndpoint = requireService('dynamo');
const ready = Boolean(redisUrl && postgresUrl && dynamoEndpoint);

describe.skipIf(!ready)('sessions copy between backends', () => {
  const run = randomUUID().slice(0, 8);
  const withPrefix = (prefix: string) => {
    const url = new URL(redisUrl!);
    url.searchParams.set('keyPrefix', prefix);
    return url.toString();
  };
  const source = withPrefix(`cli-src-${run}:`);
  const target = withPrefix(`cli-back-${run}:`);
  const postgres = `${postgresUrl}?schema=cli_copy_${run}`;
  const dynamo = `dynamodb://${new URL(dynamoEndpoint!).host}/cli-copy-${run}?region=us-east-1`;
  let seeded: SessionStore;

  beforeAll(async () => {
    seeded = await openStore(source);
    for (const user of ['ann', 'bo b', 'çé{tag}']) {
      for (let s = 0; s < 3; s++) {
        const id = `chat:${s}*`;
        await seeded.createSession(user, { sessionId: id, metadata: { topic: `t${s}`, nested: { n: s } } });
        for (let i = 0; i < 25; i++) {
          await seeded.append(user, id, [{ role: 'user', content: `q${i} 🚀`, n: i }, { role: 'assistant', content: `a${i}`, tool: { args: '{"x":1}' } }]);
        }
        await seeded.popMessage(user, id); // leaves a gap in the seqs: the copy must keep it
      }
    }
  });
  afterAll(async () => {
    await seeded?.deleteUser('ann');
    await seeded?.close();
  });

  it('copies Redis → PostgreSQL → DynamoDB → Redis, keeping ids, seqs, metadata and timestamps', async () => {
    for (const [from, to] of [
      [source, postgres],
      [postgres, dynamo],
      [dynamo, target],
    ] as const) {
      const r = await runBin(['copy', '--from', from, '--to', to, '--json'], { timeoutMs: 180_000 });
      expect(r.stderr).not.toMatch(/sessions:/);
      expect(r.code).toBe(0);
      const result = JSON.parse(r.stdout) as { sessions: number; messages: number };
      expect(result).toMatchObject({ sessions: 9, messages: 9 * 49 });
    }
    const before = await runBin(['export', '--store', source]);
    const after = await runBin(['export', '--store', target]);
    expect(before.code).toBe(0);
    expect(after.code).toBe(0);
    const a = parseExport(before.stdout);
    const b = parseExport(after.stdout);
    expect(a.size).toBe(9);
    expect(b).toEqual(a);
    // The gap left by the pop survived three hops.
    const seqs = a.get('ann/chat:0*')!.messages.map((m) => m['seq']);
    expect(seqs).toHaveLength(49);
    expect(a.get('ann/chat:0*')!.session['lastSeq']).toBe(50);
  });

  it('is resumable: a second run writes nothing new and still verifies', async () => {
    const r = await runBin(['copy', '--from', source, '--to', postgres, '--json'], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { messages: number; skippedMessages: number };
    expect(result.messages).toBe(0);
    expect(result.skippedMessages).toBe(9 * 49);
  });
});
