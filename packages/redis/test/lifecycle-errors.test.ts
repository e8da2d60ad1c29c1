import { randomBytes } from 'node:crypto';
import { SessionStoreError } from '@sessions/core';
import { RedisSessionStore } from '@sessions/redis';
import { freePort } from '@sessions/test-services';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { newRedis, redisUrl, requireRedisUrl } from './support/servers.js';

async function rejection(promise: Promise<unknown>): Promise<SessionStoreError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SessionStoreError);
  return error as SessionStoreError;
}

const prefix = () => `life_${randomBytes(4).toString('hex')}:`;

describe('RedisSessionStore without a server', () => {
  it('maps connection failures to UNAVAILABLE with the driver error as cause, and health says so without throwing', async () => {
    const port = await freePort();
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, autoResendUnfulfilledCommands: false });
    const store = new RedisSessionStore({ client, keyPrefix: prefix(), healthTimeoutMs: 500 });
    for (const call of [store.append('u', 's', { a: 1 }), store.getMessages('u', 's'), store.listSessions('u'), store.purgeExpired()]) {
      const error = await rejection(call);
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(error.fault).toBe('server');
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.message).toMatch(/^\[sessions\] \[redis\] /);
    }
    const health = await store.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toBeTruthy();
    await store.close();
    client.disconnect();
  });

  it('rejects a client that has its own keyPrefix, and a keyPrefix with a brace', () => {
    const client = new Redis({ lazyConnect: true, keyPrefix: 'x:', autoResendUnfulfilledCommands: false });
    expect(() => new RedisSessionStore({ client })).toThrow(/keyPrefix/);
    const plain = new Redis({ lazyConnect: true, autoResendUnfulfilledCommands: false });
    expect(() => new RedisSessionStore({ client: plain, keyPrefix: 'a{b}' })).toThrow(/hash tag/);
    client.disconnect();
    plain.disconnect();
  });
});

describe.skipIf(!redisUrl)('RedisSessionStore lifecycle', () => {
  it('leaves a caller-owned client open on close; later calls are CLOSED; close is idempotent', async () => {
    const client = newRedis();
    const store = new RedisSessionStore({ client, keyPrefix: prefix() });
    await store.append('u', 's', { a: 1 });
    await store[Symbol.asyncDispose]();
    await store.close();
    expect(await client.ping()).toBe('PONG');
    expect((await rejection(store.getMessages('u', 's'))).code).toBe('CLOSED');
    expect((await rejection(store.append('u', 's', { a: 2 }))).code).toBe('CLOSED');
    expect(await store.health()).toMatchObject({ ok: false });
    await new RedisSessionStore({ client, keyPrefix: store.keyPrefix }).deleteUser('u');
    await client.quit();
  });

  it('fromUrl owns its client: close() quits it', async () => {
    const store = await RedisSessionStore.fromUrl(requireRedisUrl(), { keyPrefix: prefix() });
    const health = await store.health();
    expect(health.ok).toBe(true);
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    await store.close();
    expect(store.client.status).toBe('end');
  });

  it('is UNAVAILABLE, not a raw driver error, once the caller has closed the client', async () => {
    const client = newRedis();
    const store = new RedisSessionStore({ client, keyPrefix: prefix() });
    await client.quit();
    const error = await rejection(store.getSession('u', 's'));
    expect(error.code).toBe('UNAVAILABLE');
    expect((error.cause as Error).message).toMatch(/closed/i);
  });
});
