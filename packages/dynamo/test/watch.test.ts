import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DescribeTableCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { isSessionStoreError, type JsonObject, type SessionChange } from '@sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSessionStore } from '../src/index.js';
import { dynamoEndpoint, freshStore, freshTableName, newClient } from './support/dynamo.js';

const WRITER = join(import.meta.dirname, 'support', 'watch-writer.ts');
/** Longer than any test here: a change that arrives was notified, not found by a poll. */
const NO_POLL_MS = 600_000;

/** Runs the writer script in a process of its own; resolves when it exits cleanly. */
function writeFromAnotherProcess(endpoint: string, tableName: string, userId: string, sessionId: string, count: number, gapMs = 0): Promise<void> {
  const child = spawn(process.execPath, ['--conditions=@sessions/source', '--import', 'tsx', WRITER, endpoint, tableName, userId, sessionId, String(count), String(gapMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && out.includes(`done ${count}`) ? resolve() : reject(new Error(`writer exited with ${code}: ${out}`))));
  });
}

/** Collects appended messages until `count` arrived; fails after `waitMs`. */
async function collect(watch: AsyncIterable<SessionChange<JsonObject>>, count: number, waitMs = 30_000): Promise<{ seq: number; message: JsonObject }[]> {
  const seen: { seq: number; message: JsonObject }[] = [];
  const iterator = watch[Symbol.asyncIterator]();
  const deadline = Date.now() + waitMs;
  try {
    while (seen.length < count) {
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([iterator.next(), new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(1, deadline - Date.now()))))]);
      clearTimeout(timer);
      if (next === 'timeout') throw new Error(`only ${seen.length} of ${count} messages reached the watch within ${waitMs} ms`);
      if (next.done) break;
      if (next.value.type === 'appended') seen.push(...next.value.messages.map((m) => ({ seq: m.seq, message: m.message })));
    }
  } finally {
    await iterator.return?.();
  }
  return seen;
}

describe.skipIf(!dynamoEndpoint)('watch on DynamoDB Local, with a writer in another process', () => {
  const endpoint = dynamoEndpoint ?? '';

  describe('over the table stream (streams: true)', () => {
    let env: Awaited<ReturnType<typeof freshStore>>;
    beforeAll(async () => {
      env = await freshStore({ streams: { pollIntervalMs: 50 } });
    });
    afterAll(async () => {
      await env.done();
    });

    it('setup() gave the table a KEYS_ONLY stream', async () => {
      const table = (await env.client.send(new DescribeTableCommand({ TableName: env.tableName }))).Table;
      expect(table?.StreamSpecification).toMatchObject({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    });

    it('messages appended by another process reach the watch through the stream (the watch itself never polls)', async () => {
      const user = 'u-stream';
      const session = 's-stream';
      await env.store.append(user, session, { role: 'system', content: 'before' });
      const watch = env.store.watch(user, session, { pollIntervalMs: NO_POLL_MS });
      const seen = collect(watch, 21);
      // Let the watch deliver the existing message and go to sleep before the writer starts.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writeFromAnotherProcess(endpoint, env.tableName, user, session, 20, 20);
      const messages = await seen;
      expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      expect(messages.slice(1).map((m) => m.message['i'])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('a write to another session of the same user does not wake the watch into a change', async () => {
      const user = 'u-other';
      await env.store.append(user, 'watched', { role: 'user', content: 'a' });
      const watch = env.store.watch(user, 'watched', { afterSeq: 1, pollIntervalMs: NO_POLL_MS });
      const seen = collect(watch, 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await env.store.append(user, 'watched-not', { role: 'user', content: 'elsewhere' });
      await env.store.append(user, 'watched', { role: 'user', content: 'here' });
      expect((await seen).map((m) => m.message['content'])).toEqual(['here']);
    });

    it('many watches of one store share one reader, and a watch after they all ended starts it again', async () => {
      const user = 'u-many';
      const watches = Array.from({ length: 5 }, (_, i) => collect(env.store.watch(user, `s${i}`, { pollIntervalMs: NO_POLL_MS }), 1));
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (let i = 0; i < 5; i++) await env.store.append(user, `s${i}`, { role: 'user', content: `to s${i}` });
      const results = await Promise.all(watches);
      expect(results.map((r) => r[0]?.message['content'])).toEqual(['to s0', 'to s1', 'to s2', 'to s3', 'to s4']);
      // A new watch after every earlier one ended starts the reader again.
      const again = collect(env.store.watch(user, 's0', { afterSeq: 1, pollIntervalMs: NO_POLL_MS }), 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await env.store.append(user, 's0', { role: 'user', content: 'again' });
      expect((await again)[0]?.message['content']).toBe('again');
    });

    it('setup() with streams switches the stream on for an existing table, and is safe to re-run', async () => {
      const plain = await freshStore();
      try {
        const store = new DynamoSessionStore({ client: plain.client, tableName: plain.tableName, streams: true });
        await store.setup();
        await store.setup();
        const table = (await plain.client.send(new DescribeTableCommand({ TableName: plain.tableName }))).Table;
        expect(table?.StreamSpecification?.StreamEnabled).toBe(true);
        await store.close();
      } finally {
        await plain.done();
      }
    });
  });

  it('streams over a table without a stream: the watch fails with INVALID_ARGUMENT naming setup()', async () => {
    const plain = await freshStore();
    try {
      const store = new DynamoSessionStore({ client: plain.client, tableName: plain.tableName, streams: true });
      const error = await collect(store.watch('u', 's'), 1).then(
        () => expect.fail('expected a rejection'),
        (e: unknown) => e,
      );
      expect(isSessionStoreError(error) && error.code).toBe('INVALID_ARGUMENT');
      expect(String((error as Error).message)).toContain('setup()');
      await store.close();
    } finally {
      await plain.done();
    }
  });

  it('without streams the watch polls: messages appended by another process arrive within the default interval', async () => {
    const client = newClient();
    const tableName = freshTableName('poll');
    const store = new DynamoSessionStore({ client, tableName });
    await store.setup();
    try {
      const seen = collect(store.watch('u-poll', 's-poll'), 10);
      await writeFromAnotherProcess(endpoint, tableName, 'u-poll', 's-poll', 10);
      expect((await seen).map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    } finally {
      await store.close();
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
    }
  });
});
