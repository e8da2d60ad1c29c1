import { randomBytes } from 'node:crypto';
import { KeySpace, RedisSessionStore } from '@sessions/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRedis, redisUrl } from './support/servers.js';

describe.skipIf(!redisUrl)('what replaceTail, trimSession and rewriteMessages write to Redis', () => {
  const prefix = `rw_${randomBytes(4).toString('hex')}:`;
  const keys = new KeySpace(prefix);
  let raw: ReturnType<typeof newRedis>;
  let client: ReturnType<typeof newRedis>;
  let now = Date.now();
  let store: RedisSessionStore;

  beforeAll(() => {
    raw = newRedis();
    client = newRedis();
    store = new RedisSessionStore({ client, keyPrefix: prefix, clock: () => now });
  });
  afterAll(async () => {
    await store.deleteUser('ann');
    await store.close();
    await Promise.all([raw.quit(), client.quit()]);
  });

  /** The expiry of each key of the session, its record fields, its members and its index score. */
  async function rawState(sessionId: string) {
    const k = keys.session('ann', sessionId);
    const expiries = await Promise.all([k.record, k.messages, k.idempotency].map((key) => raw.pexpiretime(key)));
    return {
      expiries,
      record: await raw.hgetall(k.record),
      members: await raw.zrange(k.messages, 0, -1),
      score: await raw.zscore(k.index, k.encodedId),
    };
  }

  it('each one slides the expiry of every key, moves the index entry and keeps the record exact', async () => {
    const start = now;
    await store.createSession('ann', { sessionId: 's', ttlMs: 60_000 });
    await store.append('ann', 's', [{ n: 1 }, { n: 2 }, { n: 3 }], { idempotencyKey: 'first' });

    now = start + 1000;
    expect(await store.replaceTail('ann', 's', { afterSeq: 1, messages: [{ n: 4 }] }, { idempotencyKey: 'tail' })).toEqual({
      removed: 2,
      firstSeq: 4,
      lastSeq: 4,
      duplicate: false,
    });
    let state = await rawState('s');
    expect(state.expiries).toEqual([now + 60_000, now + 60_000, now + 60_000]);
    expect(state.score).toBe(String(-now));
    expect(state.record).toMatchObject({ lastSeq: '4', count: '2', updatedAt: String(now) });
    expect(state.members).toEqual([`1:${start}:{"n":1}`, `4:${now}:{"n":4}`]);
    expect(await raw.hgetall(keys.session('ann', 's').idempotency)).toEqual({ first: '1:3', tail: '4:4:2' });
    expect(await store.replaceTail('ann', 's', { afterSeq: 0, messages: [{ n: 9 }] }, { idempotencyKey: 'tail' })).toEqual({
      removed: 2,
      firstSeq: 4,
      lastSeq: 4,
      duplicate: true,
    });

    const appendedAt = now;
    now = start + 2000;
    expect(await store.rewriteMessages('ann', 's', [{ seq: 4, message: { n: 40 } }, { seq: 2, message: { n: 20 } }])).toEqual({ rewritten: 1, missing: [2] });
    state = await rawState('s');
    expect(state.expiries).toEqual([now + 60_000, now + 60_000, now + 60_000]);
    expect(state.score).toBe(String(-now));
    expect(state.members, 'seq and createdAt kept').toEqual([`1:${start}:{"n":1}`, `4:${appendedAt}:{"n":40}`]);

    now = start + 3000;
    expect(await store.trimSession('ann', 's', { beforeSeq: 4 })).toBe(1);
    state = await rawState('s');
    expect(state.expiries).toEqual([now + 60_000, now + 60_000, now + 60_000]);
    expect(state.score).toBe(String(-now));
    expect(state.record).toMatchObject({ lastSeq: '4', count: '1', updatedAt: String(now) });
    expect(state.members).toEqual([`4:${appendedAt}:{"n":40}`]);

    now = start + 4000;
    expect(await store.replaceTail('ann', 's', { afterSeq: 0, messages: [] })).toEqual({ removed: 1, firstSeq: 5, lastSeq: 4, duplicate: false });
    state = await rawState('s');
    expect(state.members).toEqual([]);
    expect(state.record).toMatchObject({ lastSeq: '4', count: '0' });
    expect(await raw.exists(keys.session('ann', 's').messages)).toBe(0);
  });

  it('replaceTail with no messages on a missing session writes nothing', async () => {
    expect(await store.replaceTail('ann', 'none', { afterSeq: 0, messages: [] })).toEqual({ removed: 0, firstSeq: 1, lastSeq: 0, duplicate: false });
    expect(await raw.exists(keys.session('ann', 'none').record)).toBe(0);
    expect(await raw.zscore(keys.index('ann'), keys.session('ann', 'none').encodedId)).toBeNull();
  });
});
