import { randomBytes } from 'node:crypto';
import { KeySpace, RedisSessionStore, encodeSessionId } from '@sessions/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIST_WALK_BUDGET } from '../src/driver/list.js';
import { logCommands } from './support/command-log.js';
import { newRedis, redisUrl } from './support/servers.js';

/** Index entries of sessions Redis already expired: members whose record is gone, newer than every live session. */
async function addStaleEntries(raw: ReturnType<typeof newRedis>, indexKey: string, count: number): Promise<void> {
  const newest = Date.now() + 60_000;
  for (let i = 0; i < count; i += 1000) {
    const args: (string | number)[] = [];
    for (let j = i; j < Math.min(count, i + 1000); j++) args.push(-(newest + j), encodeSessionId(`gone-${j}`));
    await raw.zadd(indexKey, ...args);
  }
}

describe.skipIf(!redisUrl)('listing a user whose index holds many stale entries', () => {
  const prefix = `walk_${randomBytes(4).toString('hex')}:`;
  const keys = new KeySpace(prefix);
  const stale = 3000;
  let raw: ReturnType<typeof newRedis>;
  let client: ReturnType<typeof newRedis>;
  let store: RedisSessionStore;

  beforeAll(() => {
    raw = newRedis();
    client = newRedis();
    store = new RedisSessionStore({ client, keyPrefix: prefix });
  });
  afterAll(async () => {
    for (const user of ['walker', 'ghost']) await store.deleteUser(user);
    await store.close();
    await Promise.all([raw.quit(), client.quit()]);
  });

  it('walks them in bounded script calls, removes them as it goes, and the next listing is one call', async () => {
    await store.append('walker', 'live', { text: 'still here' });
    await addStaleEntries(raw, keys.index('walker'), stale);
    const sent = logCommands(client);
    const page = await store.listSessions('walker', { limit: 1 });
    expect(page.items.map((s) => s.id)).toEqual(['live']);
    expect(page.nextCursor).toBeNull();
    // Each call examines at most the wanted sessions plus LIST_WALK_BUDGET entries.
    expect(sent.filter((name) => name === 'evalsha').length).toBeGreaterThanOrEqual(Math.ceil(stale / (2 + LIST_WALK_BUDGET)));
    expect(await raw.zrange(keys.index('walker'), 0, -1)).toEqual([keys.session('walker', 'live').encodedId]);
    sent.length = 0;
    expect((await store.listSessions('walker', { limit: 1 })).items.map((s) => s.id)).toEqual(['live']);
    expect(sent).toEqual(['evalsha']);
  });

  it('pages past stale entries with a cursor, and listUsers skips (and cleans) a user with nothing live', async () => {
    for (const id of ['a', 'b', 'c']) {
      await store.append('walker', id, { id });
      // Distinct updatedAt, so the expected order does not depend on ties.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    await addStaleEntries(raw, keys.index('walker'), 1200);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof store.listSessions>> = await store.listSessions('walker', { limit: 2, ...(cursor && { cursor }) });
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['c', 'b', 'a', 'live']);
    await addStaleEntries(raw, keys.index('ghost'), 1200);
    const users: string[] = [];
    for await (const user of store.listUsers()) users.push(user);
    expect(users).toContain('walker');
    expect(users).not.toContain('ghost');
    expect(await raw.exists(keys.index('ghost'))).toBe(0);
  });
});
