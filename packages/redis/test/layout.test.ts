import { randomBytes } from 'node:crypto';
import { KeySpace, RedisSessionStore } from '@sessions/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logCommands } from './support/command-log.js';
import { redisInspector, scanKeys } from '../src/testing/index.js';
import { newRedis, redisUrl } from './support/servers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!redisUrl)('what RedisSessionStore writes to Redis', () => {
  const prefix = `layout_${randomBytes(4).toString('hex')}:`;
  const keys = new KeySpace(prefix);
  let raw: ReturnType<typeof newRedis>;
  let storeClient: ReturnType<typeof newRedis>;
  let store: RedisSessionStore;

  beforeAll(() => {
    raw = newRedis();
    storeClient = newRedis();
    store = new RedisSessionStore({ client: storeClient, keyPrefix: prefix });
  });
  afterAll(async () => {
    await store.close();
    for (const key of await scanKeys(raw, `${prefix}*`)) await raw.del(key);
    await Promise.all([raw.quit(), storeClient.quit()]);
  });

  it('keeps one session in a record hash, a message sorted set, an idempotency hash and one index entry', async () => {
    await store.createSession('ann', { sessionId: 'chat', metadata: { topic: 'x' } });
    await store.append('ann', 'chat', [{ text: 'a' }, { text: 'b' }], { idempotencyKey: 'once' });
    const k = keys.session('ann', 'chat');
    expect(await scanKeys(raw, `${keys.userBase('ann')}*`)).toEqual([k.idempotency, k.index, k.messages, k.record].sort());
    const record = await raw.hgetall(k.record);
    expect(record).toMatchObject({ lastSeq: '2', count: '2', '"topic"': '"x"' });
    expect(await raw.zrange(k.messages, 0, -1, 'WITHSCORES')).toEqual([
      `1:${record['updatedAt']}:{"text":"a"}`,
      '1',
      `2:${record['updatedAt']}:{"text":"b"}`,
      '2',
    ]);
    expect(await raw.hgetall(k.idempotency)).toEqual({ once: '1:2' });
    expect(await raw.zrange(k.index, 0, -1, 'WITHSCORES')).toEqual([k.encodedId, `-${record['updatedAt']}`]);
  });

  it('gives every key of a session the same expiry and slides all of them on a write', async () => {
    await store.createSession('ben', { sessionId: 'ttl', ttlMs: 60_000 });
    await store.append('ben', 'ttl', { text: 'a' }, { idempotencyKey: 'k' });
    const k = keys.session('ben', 'ttl');
    const before = await Promise.all([k.record, k.messages, k.idempotency].map((key) => raw.pexpiretime(key)));
    expect(new Set(before).size).toBe(1);
    expect(before[0]).toBeGreaterThan(Date.now() + 50_000);
    await sleep(5);
    await store.popMessage('ben', 'ttl');
    const after = await Promise.all([k.record, k.idempotency].map((key) => raw.pexpiretime(key)));
    expect(after[0]).toBeGreaterThan(before[0] ?? Infinity);
    expect(after[1]).toBe(after[0]);
    await store.updateSession('ben', 'ttl', { ttlMs: null });
    expect(await Promise.all([k.record, k.idempotency].map((key) => raw.pexpiretime(key)))).toEqual([-1, -1]);
  });

  it('hides a session Redis expired; listing and purgeExpired remove the index entry it left behind', async () => {
    const inspector = redisInspector(raw, prefix);
    for (const user of ['cal', 'cat']) {
      await store.append(user, 'short', { text: 'a' });
      await store.updateSession(user, 'short', { ttlMs: 30 });
      await store.append(user, 'kept', { text: 'b' });
    }
    await sleep(80);
    for (const user of ['cal', 'cat']) {
      expect(await raw.exists(keys.session(user, 'short').record)).toBe(0);
      expect(await raw.zrange(keys.index(user), 0, -1)).toContain(keys.session(user, 'short').encodedId);
    }
    expect((await store.listSessions('cal')).items.map((s) => s.id)).toEqual(['kept']);
    expect(await raw.zrange(keys.index('cal'), 0, -1), 'the listing walked past it and removed it').toEqual([keys.session('cal', 'kept').encodedId]);
    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await raw.zrange(keys.index('cat'), 0, -1)).toEqual([keys.session('cat', 'kept').encodedId]);
    for (const user of ['cal', 'cat']) expect(await inspector.sessionRecords(user, 'short')).toEqual([]);
  });

  it('treats a record past its expiresAt by the store clock as expired, even before Redis removes it', async () => {
    let now = Date.now();
    const clocked = new RedisSessionStore({ client: storeClient, keyPrefix: prefix, clock: () => now });
    await clocked.append('dee', 's', { text: 'a' });
    await clocked.updateSession('dee', 's', { ttlMs: 60_000 });
    now += 61_000;
    expect(await clocked.getSession('dee', 's')).toBeNull();
    expect(await clocked.getMessages('dee', 's')).toEqual([]);
    expect((await clocked.listSessions('dee')).items).toEqual([]);
    expect(await clocked.append('dee', 's', { text: 'fresh' })).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: false });
    await clocked.close();
  });

  it('makes every call one round trip: a write is one EVALSHA, a read sends its commands together', async () => {
    const client = newRedis();
    const counted = new RedisSessionStore({ client, keyPrefix: prefix });
    await counted.append('eve', 's', { text: 'warm' }); // loads the script on this connection
    const sent = logCommands(client);
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['append', () => counted.append('eve', 's', [{ text: 'a' }, { text: 'b' }], { idempotencyKey: 'i', expectedLastSeq: 1 })],
      ['getSession', () => counted.getSession('eve', 's', { limit: 2 })],
      ['listSessions', () => counted.listSessions('eve')],
      ['updateSession', () => counted.updateSession('eve', 's', { metadata: { a: 1 }, ttlMs: 60_000 })],
      ['forkSession', () => counted.forkSession('eve', 's', { newSessionId: 'f' })],
      ['popMessage', () => counted.popMessage('eve', 's')],
      ['clearSession', () => counted.clearSession('eve', 'f')],
      ['deleteSession', () => counted.deleteSession('eve', 'f')],
      ['getOrCreateSession', () => counted.getOrCreateSession('eve', 'g')],
      ['replaceTail', () => counted.replaceTail('eve', 's', { afterSeq: 1, messages: [{ text: 'c' }] })],
      ['rewriteMessages', () => counted.rewriteMessages('eve', 's', [{ seq: 1, message: { text: 'w' } }])],
      ['trimSession', () => counted.trimSession('eve', 's', { beforeSeq: 2 })],
    ];
    for (const [name, call] of calls) {
      sent.length = 0;
      await call();
      expect(sent, name).toEqual(['evalsha']);
    }
    sent.length = 0;
    const read = counted.getMessages('eve', 's', { limit: 5, afterSeq: 0, from: 'start' });
    // Both commands are on the wire before the first reply is awaited.
    expect(sent).toEqual(['hmget', 'zrange']);
    expect((await read).map((m) => m.seq)).toEqual([4]);
    await counted.close();
    await client.quit();
  });

  it('stores hostile ids without reaching a neighbour: braces, separators and globs stay inside the encoding', async () => {
    await store.append('x', 'a', { text: 'victim' });
    const hostile = ['x}', '{x}', 'x:i', '*', 'x\\', '[x]?'];
    for (const user of hostile) {
      await store.append(user, 'a', { text: user });
      await store.deleteUser(user);
    }
    expect((await store.getMessages('x', 'a')).map((m) => m.message)).toEqual([{ text: 'victim' }]);
    const tags = (await scanKeys(raw, `${prefix}*`)).map((key) => key.slice(prefix.length, key.indexOf('}') + 1));
    for (const tag of tags) expect(tag).toMatch(/^\{[A-Za-z0-9_-]+\}$/);
  });
});
