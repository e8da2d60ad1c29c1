import { randomBytes } from 'node:crypto';
import { isSessionStoreError, type SessionStoreError } from '@sessions/core';
import { RedisSessionStore } from '@sessions/redis';
import { startRedis, type RedisHandle } from '@sessions/test-services';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freeze, serverPid, thaw } from './support/pause.js';

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

const client = (url: string) => new Redis(url, { maxRetriesPerRequest: 1, autoResendUnfulfilledCommands: false });

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Its own master and replica (two memory-only servers, started in about 100 ms): the shared test
// server has no replica, and this suite freezes one.
describe('waitForReplicas on a server with one replica', () => {
  const prefix = `wait_${randomBytes(4).toString('hex')}:`;
  let master: RedisHandle;
  let replica: RedisHandle;
  let masterClient: Redis;
  let replicaClient: Redis;
  let replicaPid: number;

  beforeAll(async () => {
    master = await startRedis();
    replica = await startRedis({ extraArgs: ['--replicaof', '127.0.0.1', String(master.port)] });
    masterClient = client(master.url);
    replicaClient = client(replica.url);
    replicaPid = await serverPid(replicaClient);
    await until('the replica to sync', async () => (await replicaClient.info('replication')).includes('master_link_status:up'));
  });
  afterAll(async () => {
    thaw(replicaPid);
    await Promise.all([masterClient.quit(), replicaClient.quit()]);
    await Promise.all([replica.stop(), master.stop()]);
  });

  it('acknowledges a write once the replica holds it', async () => {
    const store = new RedisSessionStore({ client: masterClient, keyPrefix: prefix, waitForReplicas: { replicas: 1, timeoutMs: 1000 } });
    const result = await store.append('u', 'up', [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }]);
    expect(result.lastSeq).toBe(2);
    // Acknowledged means replicated: the replica already holds both messages.
    const onReplica = new RedisSessionStore({ client: replicaClient, keyPrefix: prefix });
    expect((await onReplica.getMessages('u', 'up')).map((m) => m.seq)).toEqual([1, 2]);
    await store.close();
  });

  it('fails UNAVAILABLE (retryable, outcome unknown) when the replica does not confirm, and a retry with the key settles it', async () => {
    const store = new RedisSessionStore({ client: masterClient, keyPrefix: prefix, waitForReplicas: { replicas: 1, timeoutMs: 200 } });
    await store.append('u', 'frozen', { role: 'user', content: 'before' });
    freeze(replicaPid);
    try {
      const started = Date.now();
      const error = await failure(store.append('u', 'frozen', { role: 'user', content: 'x' }, { idempotencyKey: 'k1' }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(error.code).toBe('UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/may or may not survive a failover/);
      expect(error.message).toMatch(/idempotencyKey/);
      // Every kind of write waits, not only appends.
      expect((await failure(store.updateSession('u', 'frozen', { metadata: { a: 1 } }))).code).toBe('UNAVAILABLE');
      // The URL form of the option.
      const fromUrl = await RedisSessionStore.fromUrl(`${master.url}?keyPrefix=${prefix}&waitForReplicas=1&waitTimeoutMs=100`);
      expect((await failure(fromUrl.append('u', 'frozen-url', { role: 'user', content: 'y' }))).code).toBe('UNAVAILABLE');
      await fromUrl.close();
    } finally {
      thaw(replicaPid);
    }
    // The master applied it: the retry with the same key is a duplicate, now confirmed.
    const retried = await store.append('u', 'frozen', { role: 'user', content: 'x' }, { idempotencyKey: 'k1' });
    expect(retried).toMatchObject({ firstSeq: 2, lastSeq: 2, duplicate: true });
    // Reads do not wait.
    expect((await store.getMessages('u', 'frozen')).map((m) => m.seq)).toEqual([1, 2]);
    await store.close();
  });

  it('runs a write whose script the server forgot (a restart, a failover) without a failure', async () => {
    const store = new RedisSessionStore({ client: masterClient, keyPrefix: prefix, waitForReplicas: { replicas: 1, timeoutMs: 1000 } });
    await store.append('u', 'flushed', { role: 'user', content: 'a' });
    await masterClient.script('FLUSH');
    expect((await store.append('u', 'flushed', { role: 'user', content: 'b' })).lastSeq).toBe(2);
    await store.close();
  });

  it('refuses a malformed option', () => {
    for (const waitForReplicas of [{ replicas: 0, timeoutMs: 100 }, { replicas: 1, timeoutMs: 0 }, { replicas: 1.5, timeoutMs: 100 }]) {
      expect(() => new RedisSessionStore({ client: masterClient, keyPrefix: prefix, waitForReplicas })).toThrow(/waitForReplicas/);
    }
  });

  it('measures the cost per awaited append (logged)', async () => {
    const plain = new RedisSessionStore({ client: masterClient, keyPrefix: prefix });
    const waiting = new RedisSessionStore({ client: masterClient, keyPrefix: prefix, waitForReplicas: { replicas: 1, timeoutMs: 1000 } });
    const timeOf = async (store: RedisSessionStore, session: string) => {
      const started = process.hrtime.bigint();
      for (let i = 0; i < 300; i++) await store.append('bench', session, { role: 'user', content: 'x'.repeat(1000) });
      return Number(process.hrtime.bigint() - started) / 1e6 / 300;
    };
    await timeOf(plain, 'warm');
    const rounds: [number, number][] = [];
    for (let r = 0; r < 3; r++) rounds.push([await timeOf(plain, `p${r}`), await timeOf(waiting, `w${r}`)]);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1] ?? 0;
    const [p, w] = [median(rounds.map((x) => x[0])), median(rounds.map((x) => x[1]))];
    console.log(`awaited 1 KB append: ${p.toFixed(3)} ms without waitForReplicas, ${w.toFixed(3)} ms with { replicas: 1 }`);
    expect(w).toBeGreaterThan(0);
  });
});
