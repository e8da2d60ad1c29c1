import { randomBytes } from 'node:crypto';
import { KeySpace, RedisSessionStore } from '@sessions/redis';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { masters, scanKeys } from '../src/testing/index.js';
import { clusterNodes, newCluster } from './support/servers.js';

/** `host:port` of the master that owns `key`'s slot. */
async function ownerOf(client: Cluster, key: string): Promise<string> {
  const slot = (await client.call('CLUSTER', 'KEYSLOT', key)) as number;
  const owner = client.slots[slot]?.[0];
  if (!owner) throw new Error(`no owner known for slot ${slot}`);
  return owner;
}

function address(node: Redis): string {
  return `${node.options.host}:${node.options.port}`;
}

describe.skipIf(!clusterNodes)('RedisSessionStore on a 3-master cluster', () => {
  const prefix = `cl_${randomBytes(4).toString('hex')}:`;
  const keys = new KeySpace(prefix);
  let client: Cluster;
  let store: RedisSessionStore;
  const usersByNode = new Map<string, string[]>();

  beforeAll(async () => {
    client = newCluster();
    store = new RedisSessionStore({ client, keyPrefix: prefix });
    await client.ping();
    for (let i = 0; i < 60; i++) {
      const user = `user-${i}`;
      const owner = await ownerOf(client, keys.index(user));
      usersByNode.set(owner, [...(usersByNode.get(owner) ?? []), user]);
    }
  });
  afterAll(async () => {
    for (const users of usersByNode.values()) for (const user of users) await store.deleteUser(user);
    await store.close();
    await client.quit();
  });

  it('spreads the sessions of many users over all three masters, each user on one node', async () => {
    const nodes = (await masters(client)).map(address).sort();
    expect(nodes).toHaveLength(3);
    expect([...usersByNode.keys()].sort()).toEqual(nodes);
    for (const users of usersByNode.values()) {
      for (const user of users) await store.append(user, 'chat', [{ text: `hello ${user}` }], { idempotencyKey: 'k' });
    }
    const spread: Record<string, number> = {};
    for (const node of await masters(client)) {
      const here = await scanKeys(node, `${prefix}*`);
      const expected = usersByNode.get(address(node)) ?? [];
      spread[address(node)] = expected.length;
      // Every key of a user (record, messages, idempotency, index) lives on the node of its slot.
      expect(here.length).toBe(expected.length * 4);
      for (const user of expected) expect(here).toContain(keys.session(user, 'chat').messages);
    }
    console.log(`users per master: ${JSON.stringify(spread)}`);
  });

  it('runs every operation for a user whose slot is on each of the three masters', async () => {
    for (const node of usersByNode.keys()) {
      let user = '';
      for (let i = 0; user === ''; i++) {
        if ((await ownerOf(client, keys.index(`ops-${i}`))) === node) user = `ops-${i}`;
      }
      const where = `${user} on ${node}`;
      const created = await store.createSession(user, { sessionId: 'a', metadata: { node }, ttlMs: 60_000 });
      expect(created.expiresAt, where).not.toBeNull();
      expect(await store.append(user, 'a', [{ n: 1 }, { n: 2 }, { n: 3 }], { expectedLastSeq: 0 }), where).toEqual({ firstSeq: 1, lastSeq: 3, duplicate: false });
      expect((await store.getMessages(user, 'a', { limit: 2 })).map((m) => m.seq), where).toEqual([2, 3]);
      expect((await store.getMessages(user, 'a', { afterSeq: 1, beforeSeq: 3 })).map((m) => m.seq), where).toEqual([2]);
      expect((await store.getSession(user, 'a', { limit: 1 }))?.messages.map((m) => m.seq), where).toEqual([3]);
      expect((await store.popMessage(user, 'a'))?.seq, where).toBe(3);
      expect((await store.updateSession(user, 'a', { metadata: { more: true } })).metadata, where).toEqual({ node, more: true });
      const fork = await store.forkSession(user, 'a', { newSessionId: 'b', uptoSeq: 1 });
      expect([fork.lastSeq, fork.messageCount], where).toEqual([1, 1]);
      expect((await store.getOrCreateSession(user, 'c')).created, where).toBe(true);
      await store.restoreSession(user, { id: 'r', metadata: {}, createdAt: new Date(), updatedAt: new Date(), expiresAt: null, lastSeq: 4 });
      await store.restoreMessages(user, 'r', [{ seq: 4, createdAt: new Date(0), message: { restored: true } }]);
      expect((await store.getMessages(user, 'r')).map((m) => m.seq), where).toEqual([4]);
      await store.clearSession(user, 'b');
      expect((await store.listSessions(user, { limit: 2 })).items.length, where).toBe(2);
      const all = await store.listSessions(user);
      expect(all.items.map((s) => s.id).sort(), where).toEqual(['a', 'b', 'c', 'r']);
      expect(await store.deleteSession(user, 'c'), where).toBe(true);
      const listed: string[] = [];
      for await (const u of store.listUsers()) listed.push(u);
      expect(listed, where).toContain(user);
      expect(await store.purgeExpired(), where).toBeGreaterThanOrEqual(0);
      expect(await store.deleteUser(user), where).toBe(3);
      // Nothing of the user is left on any node.
      expect(await scanKeys(client, `${keys.userBase(user).replace(/[*?[\]\\]/g, '\\$&')}*`), where).toEqual([]);
    }
  });

  it('fromClusterNodes owns its cluster client: health reports a latency and close() ends the client', async () => {
    const owned = await RedisSessionStore.fromClusterNodes(clusterNodes ?? [], { keyPrefix: prefix });
    expect(await owned.append('owned-user', 's', { text: 'hi' })).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: false });
    const health = await owned.health();
    expect(health.ok).toBe(true);
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(await owned.deleteUser('owned-user')).toBe(1);
    await owned.close();
    expect(owned.client.status).toBe('end');
  });
});
