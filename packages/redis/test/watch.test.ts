import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startRedis, type RedisHandle } from '@sessions/test-services';
import type { JsonObject, SessionChange } from '@sessions/core';
import { KeySpace, RedisDriver, RedisSessionStore, type RedisClient } from '@sessions/redis';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterNodes, newCluster, newRedis, redisUrl } from './support/servers.js';

const WRITER = fileURLToPath(new URL('./support/watch-writer.ts', import.meta.url));
/** How long a notification may take before a test fails: generous, the machine is shared. */
const WAIT_MS = 15_000;
/** A poll interval no test waits for: whatever arrives sooner came through a notification. */
const NO_POLL_MS = 600_000;

/** Resolves once `done()` holds, polling it; fails after {@link WAIT_MS}. */
async function eventually(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Runs the writer script in a process of its own; resolves with its output once it exits with 0. */
function writeFromAnotherProcess(url: string, keyPrefix: string, userId: string, sessionId: string, count: number, gapMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@sessions/source', '--import', 'tsx', WRITER, url, keyPrefix, userId, sessionId, String(count), String(gapMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`the writer exited with ${code}: ${out}`))));
  });
}

const appendedSeqs = (changes: SessionChange<JsonObject>[]) => changes.flatMap((c) => (c.type === 'appended' ? c.messages.map((m) => m.seq) : []));

interface Target {
  name: string;
  available: boolean;
  client(): RedisClient;
  /** The URL a writer in another process opens. */
  url(): string;
}

const targets: Target[] = [
  { name: 'one server', available: Boolean(redisUrl), client: newRedis, url: () => redisUrl ?? '' },
  { name: 'a 3-master cluster', available: Boolean(clusterNodes), client: newCluster, url: () => `redis+cluster://${(clusterNodes ?? []).join(',')}` },
];

describe.each(targets)('watch notifications on $name', (target) => {
  const keyPrefix = `watch_${randomBytes(4).toString('hex')}:`;
  const clients: RedisClient[] = [];
  let store: RedisSessionStore;
  const client = () => {
    const c = target.client();
    clients.push(c);
    return c;
  };

  beforeAll(() => {
    if (!target.available) return;
    store = new RedisSessionStore({ client: client(), keyPrefix });
  });
  afterAll(async () => {
    if (!target.available) return;
    await store.close();
    await Promise.all(clients.map((c) => c.quit()));
  });

  it.skipIf(!target.available)('every write to the session calls the listener, from any client; reads do not', async () => {
    const driver = new RedisDriver({ client: client(), keyPrefix, ownsClient: false });
    const user = 'u-ops';
    let calls = 0;
    let forkCalls = 0;
    const stop = await driver.subscribe({ userId: user, sessionId: 's' }, () => calls++);
    const stopFork = await driver.subscribe({ userId: user, sessionId: 'fork' }, () => forkCalls++);
    const writes: [string, () => Promise<unknown>][] = [
      ['append', () => store.append(user, 's', [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }])],
      ['replaceTail', () => store.replaceTail(user, 's', { afterSeq: 3, messages: [{ n: 5 }] })],
      ['popMessage', () => store.popMessage(user, 's')],
      ['trimSession', () => store.trimSession(user, 's', { beforeSeq: 2 })],
      ['rewriteMessages', () => store.rewriteMessages(user, 's', [{ seq: 2, message: { n: 'two' } }])],
      ['updateSession', () => store.updateSession(user, 's', { metadata: { a: 1 } })],
      ['clearSession', () => store.clearSession(user, 's')],
      ['deleteSession', () => store.deleteSession(user, 's')],
      ['createSession', () => store.createSession(user, { sessionId: 's' })],
      ['deleteUser', () => store.deleteUser(user)],
      ['restoreSession', () => store.restoreSession(user, { id: 's', metadata: {}, createdAt: new Date(), updatedAt: new Date(), expiresAt: null, lastSeq: 2 })],
      ['restoreMessages', () => store.restoreMessages(user, 's', [{ seq: 1, createdAt: new Date(), message: { n: 1 } }])],
      ['getOrCreateSession', async () => (await store.deleteSession(user, 's'), store.getOrCreateSession(user, 's'))],
    ];
    try {
      for (const [name, write] of writes) {
        const before = calls;
        await write();
        await eventually(`a notification after ${name}`, () => calls > before);
      }
      await store.forkSession(user, 's', { newSessionId: 'fork' });
      await eventually('a notification of the fork target', () => forkCalls > 0);
      // A duplicate append (same idempotency key) and a read change nothing: nothing is published.
      await store.append(user, 's', { n: 'once' }, { idempotencyKey: 'k' });
      await eventually('the keyed append', () => calls > 0);
      const settled = calls;
      await store.append(user, 's', { n: 'once' }, { idempotencyKey: 'k' });
      await store.getMessages(user, 's');
      // A marker write on the same connection: its notification comes after any the two calls above made.
      await store.updateSession(user, 's', { metadata: { marker: true } });
      await eventually('the marker', () => calls > settled);
      expect(calls).toBe(settled + 1);
    } finally {
      await stop();
      await stopFork();
      await driver.close();
      await store.deleteUser(user);
    }
  });

  it.skipIf(!target.available)('a watcher sees the messages a writer in another process appends, through notifications alone', async () => {
    const user = 'u-cross';
    const session = `s-${randomBytes(3).toString('hex')}`;
    await store.append(user, session, { role: 'system', content: 'start' });
    const iterator = store.watch(user, session, { pollIntervalMs: NO_POLL_MS })[Symbol.asyncIterator]();
    try {
      const changes: SessionChange<JsonObject>[] = [];
      const pull = async (count: number) => {
        while (appendedSeqs(changes).length < count) {
          const next = await iterator.next();
          if (next.done) throw new Error('the watch ended');
          changes.push(next.value);
        }
      };
      await pull(1);
      const written = writeFromAnotherProcess(target.url(), keyPrefix, user, session, 20, 5);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([pull(21), written]),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`only ${JSON.stringify(appendedSeqs(changes))} within ${WAIT_MS} ms`)), WAIT_MS))),
      ]).finally(() => clearTimeout(timer));
      expect(appendedSeqs(changes)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      const messages = changes.flatMap((c) => (c.type === 'appended' ? c.messages.map((m) => m.message) : []));
      expect(messages.slice(1)).toEqual(Array.from({ length: 20 }, (_, i) => ({ role: 'user', content: `from another process ${i}`, i })));
    } finally {
      await iterator.return?.();
      await store.deleteUser(user);
    }
  });

  it.skipIf(!target.available)('one subscriber connection per store serves every watched session, and it closes with the last', async () => {
    const name = `sub_${randomBytes(3).toString('hex')}`;
    const watching = new RedisSessionStore({ client: target.name === 'one server' ? namedRedis(name) : namedCluster(name), keyPrefix });
    clients.push(watching.client);
    const inspector = client();
    const user = 'u-conn';
    const sessions = ['s0', 's1', 's2'];
    const controller = new AbortController();
    const seen = [0, 0, 0];
    const loops = sessions.map(async (session, i) => {
      for await (const change of watching.watch(user, session, { pollIntervalMs: NO_POLL_MS, signal: controller.signal })) {
        if (change.type === 'appended') seen[i] = (seen[i] ?? 0) + change.messages.length;
      }
    });
    const channels = sessions.map((session) => new KeySpace(keyPrefix).channel(user, session));
    try {
      await eventuallyAsync('three subscriptions', async () => (await subscriptionsOf(inspector, channels)) === 3);
      for (const session of sessions) await store.append(user, session, { session });
      await eventually('every watcher notified', () => seen.every((n) => n === 1));
      // One server: one connection for the three. A cluster: one per master owning one of the channels.
      expect(await subscriberConnections(inspector, name)).toBe(await mastersOwning(inspector, channels));
      controller.abort();
      // An aborted watch wakes and leaves its loop; its subscription stops on the way out.
      await Promise.all(loops);
      await eventuallyAsync('the subscriber connection closed', async () => (await subscriberConnections(inspector, name)) === 0);
    } finally {
      controller.abort();
      await watching.close();
      await store.deleteUser(user);
    }
  });

  it.skipIf(!target.available)('a listener that throws stops neither the other listeners nor the subscriber', async () => {
    const driver = new RedisDriver({ client: client(), keyPrefix, ownsClient: false });
    const user = 'u-throw';
    let calls = 0;
    const stops = [
      await driver.subscribe({ userId: user, sessionId: 's' }, () => {
        throw new Error('a listener failing');
      }),
      await driver.subscribe({ userId: user, sessionId: 's' }, () => calls++),
    ];
    try {
      await store.append(user, 's', { n: 1 });
      await eventually('the second listener', () => calls === 1);
      await stops[0]?.();
      await store.append(user, 's', { n: 2 });
      await eventually('the second listener again', () => calls === 2);
    } finally {
      for (const stop of stops) await stop();
      await driver.close();
      await store.deleteUser(user);
    }
  });
});

async function eventuallyAsync(what: string, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${WAIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function namedRedis(name: string): Redis {
  return new Redis(redisUrl ?? '', { autoResendUnfulfilledCommands: false, connectionName: name });
}

function namedCluster(name: string): Cluster {
  const nodes = (clusterNodes ?? []).map((node) => ({ host: node.split(':')[0] ?? '127.0.0.1', port: Number(node.split(':')[1]) }));
  return new Cluster(nodes, { retryDelayOnFailover: 0, redisOptions: { connectionName: name } });
}

/** The server itself, or every master of a cluster. */
function nodesOf(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/** How many pub/sub connections whose name holds `name` the server (every master of a cluster) has. */
async function subscriberConnections(client: RedisClient, name: string): Promise<number> {
  let count = 0;
  for (const node of nodesOf(client)) {
    const list = (await node.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    count += list.split('\n').filter((line) => line.includes(name)).length;
  }
  return count;
}

/** Subscribers of the sharded `channels`, summed over every node. */
async function subscriptionsOf(client: RedisClient, channels: string[]): Promise<number> {
  let count = 0;
  for (const node of nodesOf(client)) {
    const reply = (await node.call('PUBSUB', 'SHARDNUMSUB', ...channels)) as (string | number)[];
    for (let i = 1; i < reply.length; i += 2) count += Number(reply[i]);
  }
  return count;
}

/** How many masters own the slots of `channels` (1 for a single server). */
async function mastersOwning(client: RedisClient, channels: string[]): Promise<number> {
  if (!(client instanceof Cluster)) return 1;
  const owners = new Set<string>();
  for (const channel of channels) {
    const slot = (await client.call('CLUSTER', 'KEYSLOT', channel)) as number;
    owners.add(client.slots[slot]?.[0] ?? 'unknown');
  }
  return owners.size;
}

describe.skipIf(!redisUrl)('watch notifications without sharded pub/sub (a server where SPUBLISH is unknown)', () => {
  let server: RedisHandle;
  beforeAll(async () => {
    server = await startRedis({ extraArgs: ['--rename-command', 'SPUBLISH', '', '--rename-command', 'SSUBSCRIBE', '', '--rename-command', 'SUNSUBSCRIBE', ''] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the scripts fall back to PUBLISH and the subscriber to SUBSCRIBE', async () => {
    const store = await RedisSessionStore.fromUrl(server.url, { keyPrefix: 'plain:' });
    const iterator = store.watch('u', 's', { pollIntervalMs: NO_POLL_MS })[Symbol.asyncIterator]();
    try {
      const first = iterator.next();
      await store.append('u', 's', { n: 1 });
      expect(appendedSeqs([(await first).value as SessionChange<JsonObject>])).toEqual([1]);
      const second = iterator.next();
      await store.append('u', 's', { n: 2 });
      expect(appendedSeqs([(await second).value as SessionChange<JsonObject>])).toEqual([2]);
    } finally {
      await iterator.return?.();
      await store.close();
    }
  });
});

describe('watch notifications while the server is unreachable', () => {
  it('subscribe resolves (the watch polls), and stopping and closing release everything without an error escaping', async () => {
    const port = await closedPort();
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, autoResendUnfulfilledCommands: false, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    const driver = new RedisDriver({ client, keyPrefix: 'down:', ownsClient: true });
    let calls = 0;
    const stop = await driver.subscribe({ userId: 'u', sessionId: 's' }, () => calls++);
    await stop();
    await driver.subscribe({ userId: 'u', sessionId: 's' }, () => calls++);
    await driver.close();
    expect(calls).toBe(0);
  });
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}
