import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { isSessionStoreError, type SessionStoreError } from '@sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoSessionStore, MAX_APPEND_BATCH, MAX_RESTORE_BATCH } from '../src/index.js';
import { sessionSk, userPk } from '../src/keys.js';
import { dynamoEndpoint, freshStore, freshTableName, newClient } from './support/dynamo.js';
import { dynamoInspector } from '../src/testing/index.js';

async function rejection(promise: Promise<unknown>): Promise<SessionStoreError> {
  const error = await promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  );
  if (!isSessionStoreError(error)) throw new Error(`not a SessionStoreError: ${String(error)}`);
  return error;
}

const msg = (i: number, pad = 0) => ({ role: 'user', n: i, pad: 'x'.repeat(pad) });

describe.skipIf(!dynamoEndpoint)('DynamoSessionStore specifics', () => {
  let env: Awaited<ReturnType<typeof freshStore>>;
  let now = Date.now();
  beforeAll(async () => {
    env = await freshStore({ clock: () => now, maxMessageBytes: 600 * 1024 });
  });
  afterAll(async () => {
    await env.done();
  });
  const ids = (() => {
    let n = 0;
    return () => ({ user: `u${++n}`, session: `s${n}` });
  })();

  it('setup creates the table, the listing index and native TTL, and is safe to re-run', async () => {
    await env.store.setup();
    await env.store.setup();
    const table = await env.client.send(new DescribeTableCommand({ TableName: env.tableName }));
    expect(table.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['GSI1']);
    expect(table.Table?.BillingModeSummary?.BillingMode ?? 'PAY_PER_REQUEST').toBe('PAY_PER_REQUEST');
    const ttl = await env.client.send(new DescribeTimeToLiveCommand({ TableName: env.tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' });
  });

  it('setup refuses an existing table that is not a sessions table, naming what it needs', async () => {
    const tableName = freshTableName('other');
    await env.client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const store = new DynamoSessionStore({ client: env.client, tableName });
    const error = await rejection(store.setup());
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('GSI1');
    await env.client.send(new DeleteTableCommand({ TableName: tableName }));
  });

  it(`appends ${MAX_APPEND_BATCH} messages atomically and rejects a larger batch naming the limit, writing nothing`, async () => {
    const { user, session } = ids();
    const ok = await env.store.append(user, session, Array.from({ length: MAX_APPEND_BATCH }, (_, i) => msg(i)), { idempotencyKey: 'k' });
    expect(ok).toEqual({ firstSeq: 1, lastSeq: MAX_APPEND_BATCH, duplicate: false });
    const error = await rejection(env.store.append(user, session, Array.from({ length: MAX_APPEND_BATCH + 1 }, (_, i) => msg(i))));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain(String(MAX_APPEND_BATCH));
    expect((await env.store.getSession(user, session, { limit: 0 }))?.lastSeq).toBe(MAX_APPEND_BATCH);
  });

  it('rejects a message too large for a DynamoDB item (400 KB) with TOO_LARGE before writing', async () => {
    const { user, session } = ids();
    const error = await rejection(env.store.append(user, session, [msg(1), msg(2, 450 * 1024)]));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toContain('400 KB');
    expect(await env.store.getSession(user, session)).toBeNull();
  });

  it('rejects a batch over the 4 MB transaction size with TOO_LARGE, writing nothing', async () => {
    const { user, session } = ids();
    const error = await rejection(env.store.append(user, session, Array.from({ length: 12 }, (_, i) => msg(i, 380 * 1024))));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toContain('4 MB');
    expect(await env.store.getSession(user, session)).toBeNull();
  });

  it('follows LastEvaluatedKey: reads over DynamoDB\'s 1 MB page are never cut', async () => {
    const { user, session } = ids();
    // 3 batches of 8 messages of ~100 KB: 2.4 MB in one session.
    for (let b = 0; b < 3; b++) await env.store.append(user, session, Array.from({ length: 8 }, (_, i) => msg(b * 8 + i, 100 * 1024)));
    const all = await env.store.getMessages(user, session);
    expect(all.map((m) => m.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect((await env.store.getMessages(user, session, { limit: 20 })).map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 5));
    const fork = await env.store.forkSession(user, session, { newSessionId: `${session}-fork` });
    expect(fork.messageCount).toBe(24);
    expect(await env.store.deleteUser(user)).toBe(2);
    expect(await dynamoInspector(env.client, env.tableName).userRecords(user)).toEqual([]);
  });

  it('keeps ids with separators, percent signs and 512 characters apart, and stores the real ids', async () => {
    const long = '😀'.repeat(512);
    const users = ['a#S#b', 'a', 'a%23S%23b', long];
    for (const [i, user] of users.entries()) await env.store.append(user, long, [msg(i)]);
    for (const [i, user] of users.entries()) {
      expect((await env.store.getMessages(user, long)).map((m) => m.message['n'])).toEqual([i]);
      expect((await env.store.listSessions(user)).items.map((s) => [s.userId, s.id])).toEqual([[user, long]]);
    }
    const raw = await env.client.send(new GetItemCommand({ TableName: env.tableName, Key: { PK: { S: userPk(long) }, SK: { S: sessionSk(long) } } }));
    expect(raw.Item?.['userId']?.S).toBe(long);
    expect(raw.Item?.['sessionId']?.S).toBe(long);
  });

  it('hides the messages of an expired incarnation from a session created again, and purges them', async () => {
    const { user, session } = ids();
    now = Date.now();
    await env.store.createSession(user, { sessionId: session, ttlMs: 1000 });
    await env.store.append(user, session, [msg(1), msg(2), msg(3)]);
    now += 5000; // expired; native TTL has not removed anything yet
    await env.store.restoreSession(user, { id: session, metadata: {}, createdAt: new Date(now), updatedAt: new Date(now), expiresAt: null, lastSeq: 3 });
    await env.store.restoreMessages(user, session, [{ seq: 2, createdAt: new Date(now), message: { again: true } }]);
    expect((await env.store.getMessages(user, session)).map((m) => m.message)).toEqual([{ again: true }]);
    const inspect = dynamoInspector(env.client, env.tableName);
    expect((await inspect.sessionRecords(user, session)).length).toBe(5); // record, new message, 3 leftovers
    await env.store.purgeExpired();
    expect((await inspect.sessionRecords(user, session)).length).toBe(2);
    expect((await env.store.getMessages(user, session)).map((m) => m.message)).toEqual([{ again: true }]);
    now = Date.now();
  });

  it(`restores a large batch in transactions of ${MAX_RESTORE_BATCH}, checked whole before the first is written`, async () => {
    const { user, session } = ids();
    await env.store.restoreSession(user, { id: session, metadata: {}, createdAt: new Date(now), updatedAt: new Date(now), expiresAt: null, lastSeq: 500 });
    const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ seq: from + i, createdAt: new Date(now), message: msg(from + i) }));
    // The last seq is above lastSeq: nothing at all may be written.
    expect((await rejection(env.store.restoreMessages(user, session, batch(300, 250)))).code).toBe('INVALID_ARGUMENT');
    expect((await env.store.getSession(user, session, { limit: 0 }))?.messageCount).toBe(0);
    await env.store.restoreMessages(user, session, batch(1, 2 * MAX_RESTORE_BATCH + 52));
    const restored = await env.store.getMessages(user, session);
    expect(restored.map((m) => m.seq)).toEqual(Array.from({ length: 2 * MAX_RESTORE_BATCH + 52 }, (_, i) => i + 1));
    expect((await env.store.getSession(user, session, { limit: 0 }))?.messageCount).toBe(2 * MAX_RESTORE_BATCH + 52);
  });

  it('clear hides every message at once and removes the items', async () => {
    const { user, session } = ids();
    await env.store.append(user, session, Array.from({ length: 30 }, (_, i) => msg(i)));
    await env.store.clearSession(user, session);
    const out = await env.client.send(
      new QueryCommand({
        TableName: env.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :p)',
        ExpressionAttributeValues: { ':pk': { S: userPk(user) }, ':p': { S: `${sessionSk(session)}#` } },
      }),
    );
    expect(out.Items?.filter((item) => item['type']?.S === 'message')).toEqual([]);
    expect(await env.store.append(user, session, [msg(31)])).toMatchObject({ firstSeq: 31 });
  });

  it('never lets what a store remembers of a session make a write wrong', async () => {
    const { user, session } = ids();
    const other = new DynamoSessionStore({ client: env.client, tableName: env.tableName, clock: () => now });
    now = Date.now();
    await env.store.append(user, session, [msg(1)]); // env.store now remembers lastSeq 1
    await other.append(user, session, [msg(2)]);
    await other.updateSession(user, session, { ttlMs: 60_000 });
    // env.store's memory is stale on lastSeq and TTL: its append must still land at seq 3
    // and slide the expiry by the new TTL.
    expect(await env.store.append(user, session, [msg(3)])).toEqual({ firstSeq: 3, lastSeq: 3, duplicate: false });
    expect((await other.getSession(user, session))?.expiresAt?.getTime()).toBe(now + 60_000);
    // Deleted and created again elsewhere: a new incarnation, so the old memory must not be used.
    await other.deleteSession(user, session);
    await other.append(user, session, [msg(10)], { idempotencyKey: 'k' });
    expect(await env.store.append(user, session, [msg(11)], { idempotencyKey: 'k' })).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: true });
    expect(await env.store.append(user, session, [msg(12)], { expectedLastSeq: 1 })).toEqual({ firstSeq: 2, lastSeq: 2, duplicate: false });
    expect((await env.store.getMessages(user, session)).map((m) => m.message['n'])).toEqual([10, 12]);
    await other.clearSession(user, session);
    expect(await env.store.getMessages(user, session)).toEqual([]);
    expect(await env.store.popMessage(user, session)).toBeNull();
    await other.close();
  });

  it('maps a missing table to UNAVAILABLE that names setup(), and an unreachable endpoint to UNAVAILABLE with the cause', async () => {
    const client = newClient();
    const missing = new DynamoSessionStore({ client, tableName: freshTableName('missing') });
    const error = await rejection(missing.getSession('u', 's'));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('setup()');
    expect((await missing.health()).ok).toBe(false);
    await missing.close();
    // The caller's client stays open after close().
    expect((await env.store.health()).ok).toBe(true);
    client.destroy();

    const down = await DynamoSessionStore.fromUrl(`dynamodb://127.0.0.1:9/${env.tableName}?region=us-east-1`, {
      maxRetries: 0,
      clientConfig: { credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 },
    });
    const unreachable = await rejection(down.append('u', 's', [msg(1)]));
    expect(unreachable.code).toBe('UNAVAILABLE');
    expect(unreachable.cause).toBeDefined();
    await down.close();
    expect((await rejection(down.getSession('u', 's'))).code).toBe('CLOSED');
  });

  it('an append that keeps losing the race to other writers fails with CONFLICT and writes nothing', async () => {
    const { user, session } = ids();
    await env.store.append(user, session, msg(0));
    // No retries: every writer whose condition fails gives up at once, as a busy one would at the bound.
    const writers = Array.from({ length: 8 }, () => new DynamoSessionStore({ client: env.client, tableName: env.tableName, maxRetries: 0 }));
    const outcomes = await Promise.allSettled(writers.map((w, i) => w.append(user, session, [msg(100 + i), msg(200 + i)])));
    const won = outcomes.filter((o) => o.status === 'fulfilled').length;
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as SessionStoreError] : []));
    expect(won).toBeGreaterThan(0);
    // All eight read lastSeq 1 before any wrote: only the first conditional write can win.
    expect(lost.length).toBeGreaterThan(0);
    for (const error of lost) {
      expect(error.code).toBe('CONFLICT');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('lost the race');
    }
    // Every winner's batch is whole; no loser left a message.
    const stored = await env.store.getMessages(user, session);
    expect(stored).toHaveLength(1 + 2 * won);
    expect((await env.store.getSession(user, session, { limit: 0 }))?.lastSeq).toBe(1 + 2 * won);
    await Promise.all(writers.map((w) => w.close()));
  });

  it('32 appends in flight on one session through one store all land, in call order, without a lost race', async () => {
    const { user, session } = ids();
    const store = new DynamoSessionStore({ client: env.client, tableName: env.tableName, maxRetries: 0 });
    await store.append(user, session, msg(0));
    // maxRetries 0: any append that raced another of this store on the server would fail.
    const results = await Promise.all(Array.from({ length: 32 }, (_, i) => store.append(user, session, msg(i + 1))));
    expect(results.map((r) => r.firstSeq)).toEqual(Array.from({ length: 32 }, (_, i) => i + 2));
    expect((await store.getMessages(user, session)).map((m) => m.message['n'])).toEqual(Array.from({ length: 33 }, (_, i) => i));
    await store.close();
  });
});
