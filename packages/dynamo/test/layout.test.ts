import { BatchWriteItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSessionStore } from '../src/index.js';
import { idempotencySk, messageSk, sessionSk, userPk } from '../src/keys.js';
import { dynamoEndpoint, freshStore } from './support/dynamo.js';

type Item = Record<string, AttributeValue>;
const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });

describe.skipIf(!dynamoEndpoint)('data written before the driver (the 0.1.0 layout) reads and writes as before', () => {
  let env: Awaited<ReturnType<typeof freshStore>>;
  beforeAll(async () => {
    env = await freshStore();
  });
  afterAll(async () => {
    await env.done();
  });

  it('reads a session, its messages and an idempotency key exactly as the first store wrote them', async () => {
    const t = Date.now() - 1000;
    // The attributes the store of version 0.1.0 wrote: a session with messages 1..3 cleared, then 4 and 5.
    const items: Item[] = [
      {
        PK: S(userPk('old-user')),
        SK: S(sessionSk('old-session')),
        type: S('session'),
        userId: S('old-user'),
        sessionId: S('old-session'),
        gen: S('AAAAAAAAAAAA'),
        metadata: S('{"topic":"legacy"}'),
        createdAt: N(t),
        updatedAt: N(t),
        lastSeq: N(5),
        messageCount: N(2),
        clearedUpTo: N(3),
        GSI1PK: S(userPk('old-user')),
        GSI1SK: S(`${String(t).padStart(15, '0')}#old-session`),
      },
      ...[4, 5].map((seq) => ({
        PK: S(userPk('old-user')),
        SK: S(messageSk('old-session', 'AAAAAAAAAAAA', seq)),
        type: S('message'),
        seq: N(seq),
        createdAt: N(t),
        body: S(JSON.stringify({ role: 'user', n: seq })),
      })),
      { PK: S(userPk('old-user')), SK: S(idempotencySk('old-session', 'AAAAAAAAAAAA', 'k')), type: S('idempotency'), firstSeq: N(1), lastSeq: N(3) },
    ];
    await env.client.send(new BatchWriteItemCommand({ RequestItems: { [env.tableName]: items.map((Item) => ({ PutRequest: { Item } })) } }));
    const session = await env.store.getSession('old-user', 'old-session');
    expect(session).toMatchObject({ metadata: { topic: 'legacy' }, lastSeq: 5, messageCount: 2, expiresAt: null });
    expect(session?.messages.map((m) => [m.seq, m.message])).toEqual([
      [4, { role: 'user', n: 4 }],
      [5, { role: 'user', n: 5 }],
    ]);
    // The key recorded by an old append is a duplicate for append and replaceTail alike (removed: 0).
    expect(await env.store.append('old-user', 'old-session', [{ n: 9 }], { idempotencyKey: 'k' })).toEqual({ firstSeq: 1, lastSeq: 3, duplicate: true });
    expect(await env.store.replaceTail('old-user', 'old-session', { afterSeq: 0, messages: [] }, { idempotencyKey: 'k' })).toEqual({ removed: 0, firstSeq: 1, lastSeq: 3, duplicate: true });
    expect(await env.store.replaceTail('old-user', 'old-session', { afterSeq: 4, messages: [{ n: 6 }] })).toEqual({ removed: 1, firstSeq: 6, lastSeq: 6, duplicate: false });
    expect((await env.store.listSessions('old-user')).items.map((s) => [s.id, s.messageCount])).toEqual([['old-session', 2]]);

    // The old session keeps its layout (message keys counting up) for new messages; a store that
    // never saw it reads its newest messages right, and a fork copies it into the new layout.
    await env.store.append('old-user', 'old-session', [{ n: 7 }, { n: 8 }]);
    const keys = await env.client.send(
      new QueryCommand({
        TableName: env.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': S(userPk('old-user')), ':p': S(`${sessionSk('old-session')}#M#`) },
        ConsistentRead: true,
      }),
    );
    expect(keys.Items?.map((item) => Number(item['seq']?.N))).toEqual([4, 6, 7, 8]);
    const cold = new DynamoSessionStore({ client: env.client, tableName: env.tableName });
    expect((await cold.getMessages('old-user', 'old-session', { limit: 3 })).map((m) => m.seq)).toEqual([6, 7, 8]);
    await env.store.forkSession('old-user', 'old-session', { newSessionId: 'new-copy' });
    expect((await cold.getMessages('old-user', 'new-copy', { limit: 2 })).map((m) => m.message)).toEqual([{ n: 7 }, { n: 8 }]);
    expect((await cold.getSession('old-user', 'new-copy'))?.messages.map((m) => m.seq)).toEqual([4, 6, 7, 8]);
  });
});
