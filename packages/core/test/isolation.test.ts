import { describe, expect, it } from 'vitest';
import { InMemorySessionStore, openSession, type JsonObject } from '../src/index.js';

describe('copy in, copy out', () => {
  it('a caller changing what it appended does not change stored history', async () => {
    const store = new InMemorySessionStore();
    const message = { content: 'original', nested: { list: [1, 2] } };
    const batch = [message];
    await store.append('u', 's', batch);
    message.content = 'changed';
    message.nested.list.push(3);
    batch.push({ content: 'sneaked in', nested: { list: [] } });
    expect((await store.getMessages('u', 's')).map((m) => m.message)).toEqual([{ content: 'original', nested: { list: [1, 2] } }]);
  });

  it('a caller changing what it read does not change stored history', async () => {
    const store = new InMemorySessionStore();
    await store.append('u', 's', { content: 'original', nested: { list: [1] } });
    const [read] = await store.getMessages('u', 's');
    (read!.message['nested'] as { list: number[] }).list.push(2);
    read!.message['content'] = 'changed';
    read!.createdAt.setTime(0);
    const session = await store.getSession('u', 's');
    session!.messages[0]!.message['content'] = 'changed again';
    const popped = await store.getOrCreateSession('u', 's');
    expect(popped.messages[0]?.message).toEqual({ content: 'original', nested: { list: [1] } });
    expect(popped.messages[0]?.createdAt.getTime()).not.toBe(0);
  });

  it('metadata is copied in and out too', async () => {
    const store = new InMemorySessionStore();
    const metadata: JsonObject = { tags: ['a'] };
    const created = await store.createSession('u', { sessionId: 's', metadata });
    (metadata['tags'] as string[]).push('in');
    (created.metadata['tags'] as string[]).push('out');
    const listed = await store.listSessions('u');
    (listed.items[0]!.metadata['tags'] as string[]).push('listed');
    expect((await store.getSession('u', 's'))?.metadata).toEqual({ tags: ['a'] });
  });

  it('a fork and its source do not share changes', async () => {
    const store = new InMemorySessionStore();
    await store.append('u', 's', [{ t: 1 }, { t: 2 }]);
    await store.forkSession('u', 's', { newSessionId: 'f' });
    await store.popMessage('u', 'f');
    await store.append('u', 'f', { t: 'fork' });
    await store.clearSession('u', 's');
    expect((await store.getMessages('u', 'f')).map((m) => m.message)).toEqual([{ t: 1 }, { t: 'fork' }]);
    expect(await store.getMessages('u', 's')).toEqual([]);
  });

  it('items read through a handle are copies', async () => {
    const store = new InMemorySessionStore();
    const session = openSession(store, 'u', 's');
    await session.addItems([{ role: 'user', content: 'hi' }]);
    const [item] = await session.getItems();
    item!['content'] = 'changed';
    expect(await session.getItems()).toEqual([{ role: 'user', content: 'hi' }]);
  });
});
