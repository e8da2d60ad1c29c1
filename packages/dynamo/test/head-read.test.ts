import { BatchWriteItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSessionStore } from '../src/index.js';
import { messageSk, seqOfMessageSk, sessionSk, userPk } from '../src/keys.js';
import { dynamoEndpoint, freshStore } from './support/dynamo.js';

type Item = Record<string, AttributeValue>;

/** Counts the SDK commands a client sends, by name. */
function countCommands(client: DynamoDBClient): Record<string, number> {
  const counts: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = context.commandName ?? 'unknown';
      counts[name] = (counts[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: `count-${Math.random()}` },
  );
  return counts;
}

const msg = (i: number) => ({ role: 'user', n: i });
const reset = (counts: Record<string, number>) => {
  for (const key of Object.keys(counts)) delete counts[key];
};

describe.skipIf(!dynamoEndpoint)('the newest messages in one Query (newest-first message keys)', () => {
  let env: Awaited<ReturnType<typeof freshStore>>;
  let counts: Record<string, number>;
  beforeAll(async () => {
    env = await freshStore();
    counts = countCommands(env.client);
  });
  afterAll(async () => {
    await env.done();
  });
  /** A store that remembers nothing yet, as another process would be, on the same client. */
  const coldStore = () => new DynamoSessionStore({ client: env.client, tableName: env.tableName });

  it('a new session keys its messages newest first, right after its session item', async () => {
    await env.store.append('u1', 's', [msg(1), msg(2), msg(3)]);
    const out = await env.client.send(
      new QueryCommand({ TableName: env.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: userPk('u1') } }, ConsistentRead: true }),
    );
    const keys = (out.Items ?? []).map((item) => item['SK']?.S ?? '');
    expect(keys[0]).toBe(sessionSk('s'));
    expect(keys.slice(1).map(seqOfMessageSk)).toEqual([3, 2, 1]);
    expect(keys.slice(1).every((k) => k.includes('#A#'))).toBe(true);
  });

  it('getMessages({ limit }) and getSession({ limit }) cost one Query, whether or not the store knew the session', async () => {
    await env.store.append('u2', 's', Array.from({ length: 50 }, (_, i) => msg(i + 1)));
    for (const store of [env.store, coldStore()]) {
      reset(counts);
      const messages = await store.getMessages('u2', 's', { limit: 20 });
      expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => 31 + i));
      expect(counts).toEqual({ QueryCommand: 1 });
      reset(counts);
      const session = await coldStore().getSession('u2', 's', { limit: 5 });
      expect(session?.messages.map((m) => m.seq)).toEqual([46, 47, 48, 49, 50]);
      expect(counts).toEqual({ QueryCommand: 1 });
    }
  });

  it('the messages after a seq (a watch round, a reader catching up) are one Query when the store knows there are few', async () => {
    const store = new DynamoSessionStore({ client: env.client, tableName: env.tableName, readPageSize: 5 });
    await store.append('u6', 's', Array.from({ length: 12 }, (_, i) => msg(i + 1)));
    reset(counts);
    expect((await store.getMessages('u6', 's', { afterSeq: 9 })).map((m) => m.seq)).toEqual([10, 11, 12]);
    expect(counts).toEqual({ QueryCommand: 1 });
    // Another writer added more than a page since: the head cannot hold them all; read again, in order.
    await coldStore().append('u6', 's', Array.from({ length: 8 }, (_, i) => msg(13 + i)));
    expect((await store.getMessages('u6', 's', { afterSeq: 9 })).map((m) => m.seq)).toEqual(Array.from({ length: 11 }, (_, i) => 10 + i));
    expect((await store.getMessages('u6', 's', { afterSeq: 9, limit: 4 })).map((m) => m.seq)).toEqual([17, 18, 19, 20]);
  });

  it('hides popped, trimmed and cleared messages, and honours afterSeq, in the one Query', async () => {
    const store = env.store;
    await store.append('u3', 's', Array.from({ length: 10 }, (_, i) => msg(i + 1)));
    await store.popMessage('u3', 's');
    await store.trimSession('u3', 's', { beforeSeq: 4 });
    expect((await coldStore().getMessages('u3', 's', { limit: 20 })).map((m) => m.seq)).toEqual([4, 5, 6, 7, 8, 9]);
    expect((await coldStore().getMessages('u3', 's', { limit: 3 })).map((m) => m.seq)).toEqual([7, 8, 9]);
    expect((await coldStore().getMessages('u3', 's', { limit: 20, afterSeq: 6 })).map((m) => m.seq)).toEqual([7, 8, 9]);
    await store.clearSession('u3', 's');
    expect(await coldStore().getMessages('u3', 's', { limit: 20 })).toEqual([]);
    await store.append('u3', 's', [msg(11)]);
    expect((await coldStore().getMessages('u3', 's', { limit: 20 })).map((m) => m.seq)).toEqual([11]);
  });

  it('reads right when other items sort inside the head: a neighbouring session id and leftovers of another incarnation', async () => {
    // 's!' sorts between 's' and 's#...': its items fall inside the head range of 's'.
    await env.store.append('u4', 's!', Array.from({ length: 30 }, (_, i) => msg(100 + i)));
    await env.store.append('u4', 's', Array.from({ length: 12 }, (_, i) => msg(i + 1)));
    // Leftovers of an earlier incarnation whose gen sorts before every fresh one.
    const stale: Item[] = Array.from({ length: 25 }, (_, i) => ({
      PK: { S: userPk('u4') },
      SK: { S: messageSk('s', '.-', i + 1) },
      type: { S: 'message' },
      seq: { N: String(i + 1) },
      createdAt: { N: '1' },
      body: { S: '{"stale":true}' },
    }));
    await env.client.send(new BatchWriteItemCommand({ RequestItems: { [env.tableName]: stale.map((Item) => ({ PutRequest: { Item } })) } }));
    const messages = await coldStore().getMessages('u4', 's', { limit: 5 });
    expect(messages.map((m) => [m.seq, m.message])).toEqual([8, 9, 10, 11, 12].map((n) => [n, msg(n)]));
    expect((await coldStore().getMessages('u4', 's!', { limit: 2 })).map((m) => m.message)).toEqual([msg(128), msg(129)]);
    expect(await coldStore().getSession('u4', 'absent', { limit: 5 })).toBeNull();
  });

  it('fork of a session copies it into the newest-first layout, and pop takes the newest', async () => {
    await env.store.append('u5', 'src', Array.from({ length: 6 }, (_, i) => msg(i + 1)));
    await env.store.forkSession('u5', 'src', { newSessionId: 'copy', uptoSeq: 4 });
    expect((await coldStore().getMessages('u5', 'copy', { limit: 3 })).map((m) => m.seq)).toEqual([2, 3, 4]);
    expect((await coldStore().popMessage('u5', 'copy'))?.seq).toBe(4);
    expect((await env.store.getMessages('u5', 'copy')).map((m) => m.seq)).toEqual([1, 2, 3]);
  });
});
