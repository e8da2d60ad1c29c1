import { randomBytes } from 'node:crypto';
import { isSessionStoreError, openStore, type SessionStoreError } from '@sessions/core';
import { RedisSessionStore, parseRedisUrl } from '@sessions/redis';
import { freePort } from '@sessions/test-services';
import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { clusterNodes, redisUrl, requireRedisUrl } from './support/servers.js';

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

function thrown(run: () => unknown): SessionStoreError {
  try {
    run();
  } catch (error) {
    if (isSessionStoreError(error)) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

describe('the Redis URL grammar', () => {
  it('reads single-server URLs, keeping ioredis parameters and taking keyPrefix out', () => {
    expect(parseRedisUrl('redis://localhost:6380/2?keyPrefix=app:')).toEqual({ kind: 'single', url: 'redis://localhost:6380/2', keyPrefix: 'app:' });
    expect(parseRedisUrl(' rediss://u:p%40ss@cache.example?family=6 ')).toEqual({ kind: 'single', url: 'rediss://u:p%40ss@cache.example?family=6' });
  });

  it('reads cluster URLs: nodes, credentials (a password may hold @ and /), TLS, keyPrefix', () => {
    expect(parseRedisUrl('redis+cluster://10.0.0.1:7000,10.0.0.2:7001,[::1]:7002?keyPrefix=t:')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      tls: false,
      keyPrefix: 't:',
    });
    expect(parseRedisUrl('rediss+cluster://app:s3@cr/t@h:7000')).toEqual({ kind: 'cluster', nodes: [{ host: 'h', port: 7000 }], tls: true, username: 'app', password: 's3@cr/t' });
  });

  it('reads waitForReplicas and waitTimeoutMs (1000 by default) in both forms', () => {
    expect(parseRedisUrl('redis://h:6379?waitForReplicas=1&waitTimeoutMs=250&family=6')).toEqual({
      kind: 'single',
      url: 'redis://h:6379?family=6',
      waitForReplicas: { replicas: 1, timeoutMs: 250 },
    });
    expect(parseRedisUrl('redis+cluster://h:7000?keyPrefix=t:&waitForReplicas=2')).toMatchObject({ keyPrefix: 't:', waitForReplicas: { replicas: 2, timeoutMs: 1000 } });
  });

  it('refuses anything else with INVALID_ARGUMENT, the password hidden', () => {
    for (const url of [
      'http://h:1',
      'redis+cluster://h',
      'redis+cluster://:hunter2@h:1?db=2',
      'redis://',
      'redis',
      'redis://:hunter2@h?waitForReplicas=0',
      'redis://h?waitForReplicas=1&waitTimeoutMs=0',
      'redis+cluster://h:1?waitTimeoutMs=100',
      'redis://h?waitForReplicas=one',
    ]) {
      const error = thrown(() => parseRedisUrl(url));
      expect(error.code, url).toBe('INVALID_ARGUMENT');
      expect(error.message, url).not.toContain('hunter2');
    }
  });
});

describe('clients the store refuses', () => {
  it('a single-server client that resends unanswered commands, a cluster that retries them, naming the option', () => {
    expect(thrown(() => new RedisSessionStore({ client: new Redis({ lazyConnect: true }) })).message).toMatch(/autoResendUnfulfilledCommands: false/);
    const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true });
    const error = thrown(() => new RedisSessionStore({ client: cluster }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/retryDelayOnFailover: 0/);
    const safe = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true, retryDelayOnFailover: 0 });
    expect(new RedisSessionStore({ client: safe }).client).toBe(safe);
  });

  it('fromUrl with redisOptions that turn resending back on', async () => {
    const error = await failure(RedisSessionStore.fromUrl('redis://127.0.0.1:1', { redisOptions: { autoResendUnfulfilledCommands: true, lazyConnect: true } }));
    expect(error.code).toBe('INVALID_ARGUMENT');
  });
});

describe('fromUrl against a server that is down', () => {
  // ioredis' defaults made this call wait 73 s; the bound is the test's timeout, not an assertion on time.
  it('fails the call with UNAVAILABLE after two reconnection attempts', { timeout: 10_000 }, async () => {
    const store = await RedisSessionStore.fromUrl(`redis://127.0.0.1:${await freePort()}`, { reconnectDelayMs: 100 });
    const error = await failure(store.append('u', 's', { a: 1 }));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect((await store.health()).ok).toBe(false);
    await store.close();
  });
});

describe.skipIf(!redisUrl)('openStore with Redis URLs', () => {
  it('opens redis:// with ?keyPrefix= as a store that owns its client', async () => {
    const prefix = `url_${randomBytes(4).toString('hex')}:`;
    const store = await openStore<RedisSessionStore>(`${requireRedisUrl()}?keyPrefix=${prefix}`);
    expect(store).toBeInstanceOf(RedisSessionStore);
    expect(store.keyPrefix).toBe(prefix);
    await store.append('u', 's', { a: 1 });
    expect(await store.deleteUser('u')).toBe(1);
    await store.close();
    expect(store.client.status).toBe('end');
    const explicit = await RedisSessionStore.fromUrl(`${requireRedisUrl()}?keyPrefix=${prefix}`, { keyPrefix: undefined });
    expect(explicit.keyPrefix, 'an option left undefined keeps the URL\'s').toBe(prefix);
    await explicit.close();
    const overridden = await RedisSessionStore.fromUrl(`${requireRedisUrl()}?keyPrefix=${prefix}`, { keyPrefix: 'other:' });
    expect(overridden.keyPrefix).toBe('other:');
    await overridden.close();
  });

  it.skipIf(!clusterNodes)('opens redis+cluster://', async () => {
    const store = await openStore<RedisSessionStore>(`redis+cluster://${(clusterNodes ?? []).join(',')}?keyPrefix=url_${randomBytes(4).toString('hex')}:`);
    expect(store.client).toBeInstanceOf(Cluster);
    await store.append('u', 's', { a: 1 });
    expect(await store.deleteUser('u')).toBe(1);
    await store.close();
  });
});
