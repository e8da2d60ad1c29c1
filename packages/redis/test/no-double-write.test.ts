import { randomBytes } from 'node:crypto';
import { isSessionStoreError, type SessionStoreError } from '@sessions/core';
import { RedisSessionStore } from '@sessions/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCutProxy, type CutProxy } from './support/cut-proxy.js';
import { newRedis, redisUrl, requireRedisUrl } from './support/servers.js';

async function failure(promise: Promise<unknown>): Promise<SessionStoreError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  if (!isSessionStoreError(error)) throw error;
  return error;
}

/** Resolves once the client is connected again (its first reconnection attempt comes after a short delay). */
async function reconnected(client: Redis): Promise<void> {
  if (client.status !== 'ready') await new Promise<void>((resolve) => client.once('ready', () => resolve()));
}

describe.skipIf(!redisUrl)('a connection cut after Redis ran a write and before the reply', () => {
  const prefix = `cut_${randomBytes(4).toString('hex')}:`;
  let proxy: CutProxy;
  let raw: Redis;
  let viaProxy: string;

  beforeAll(async () => {
    const server = new URL(requireRedisUrl());
    proxy = await startCutProxy(server.hostname, Number(server.port));
    viaProxy = `redis://127.0.0.1:${proxy.port}`;
    raw = newRedis();
  });
  afterAll(async () => {
    await new RedisSessionStore({ client: raw, keyPrefix: prefix }).deleteUser('u');
    await raw.del(`${prefix}counter`);
    await raw.quit();
    await proxy.close();
  });

  it('is resent and applied twice by an ioredis client with its defaults (why the store refuses such a client)', async () => {
    const client = new Redis(viaProxy);
    client.on('error', () => undefined);
    await client.ping();
    proxy.cutNextReply();
    await client.eval("return redis.call('INCR', KEYS[1])", 1, `${prefix}counter`);
    expect(await raw.get(`${prefix}counter`)).toBe('2');
    client.disconnect();
    expect(() => new RedisSessionStore({ client: new Redis({ lazyConnect: true }) })).toThrow(/autoResendUnfulfilledCommands/);
  });

  it('fails UNAVAILABLE (outcome unknown) on a store from fromUrl, and the append is stored once', async () => {
    const store = await RedisSessionStore.fromUrl(viaProxy, { keyPrefix: prefix, reconnectDelayMs: 20 });
    await store.append('u', 'owned', { n: 0 }); // loads the script, so the next request is the append itself
    proxy.cutNextReply();
    const error = await failure(store.append('u', 'owned', [{ n: 1 }, { n: 2 }]));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/may or may not have been applied/);
    await reconnected(store.client as Redis);
    expect((await store.getMessages('u', 'owned')).map((m) => m.message)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(await store.append('u', 'owned', { n: 3 })).toMatchObject({ firstSeq: 4 });
    await store.close();
  });

  it('fails UNAVAILABLE, instead of waiting forever, on a caller client that does not resend', async () => {
    const client = new Redis(viaProxy, { autoResendUnfulfilledCommands: false, retryStrategy: () => 20 });
    client.on('error', () => undefined);
    const store = new RedisSessionStore({ client, keyPrefix: prefix });
    await store.append('u', 'passed', { n: 0 });
    proxy.cutNextReply();
    const error = await failure(store.replaceTail('u', 'passed', { afterSeq: 0, messages: [{ n: 1 }] }));
    expect(error.code).toBe('UNAVAILABLE');
    await reconnected(client);
    expect((await store.getMessages('u', 'passed')).map((m) => [m.seq, m.message])).toEqual([[2, { n: 1 }]]);
    await store.close();
    client.disconnect();
  });
});
