import { InMemorySessionStore, MemoryBacking } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { encryption, reencryptSession, reencryptUser } from '../src/index.js';
import { KEY_A, KEY_B, keyIds, memoryStores, rawState, setRawText } from './fixtures.js';
import { rotationUnderLoad } from './support/rotation-under-load.js';

const BOTH = { keys: { a: KEY_A, b: KEY_B }, currentKeyId: 'b' };

describe('key rotation', () => {
  it('reads sessions that mix keys, and writes with the current key', async () => {
    const stores = memoryStores();
    await stores.store.append('u', 's', [{ i: 1 }, { i: 2 }]);
    const rotated = stores.reopen(BOTH).store;
    await rotated.append('u', 's', { i: 3 });
    expect(keyIds(stores.backing, 'u', 's')).toEqual(['a', 'a', 'b']);
    expect((await rotated.getMessages('u', 's')).map((m) => m.message)).toEqual([{ i: 1 }, { i: 2 }, { i: 3 }]);
    // A reader without the old key cannot read the old messages: loud, not silent.
    await expect(stores.reopen({ keys: { b: KEY_B }, currentKeyId: 'b' }).store.getMessages('u', 's')).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
  });

  it('reencryptSession rewrites stale messages and metadata in place, keeping seqs, createdAt and lastSeq', async () => {
    const stores = memoryStores({ encryptMetadata: true });
    await stores.store.createSession('u', { sessionId: 's', metadata: { title: 'secret', other: 1 } });
    await stores.store.append('u', 's', [{ i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }]);
    await stores.store.popMessage('u', 's');
    const before = await stores.store.getMessages('u', 's');
    const rotated = stores.reopen({ ...BOTH, encryptMetadata: true });
    await rotated.store.append('u', 's', { i: 5 });
    expect(await reencryptSession(rotated.store, rotated.codec, 'u', 's', { batchSize: 2 })).toEqual({ sessions: 1, messages: 3 });
    expect(keyIds(stores.backing, 'u', 's')).toEqual(['b', 'b', 'b', 'b']);
    expect(rawState(stores.backing, 'u', 's').metadataText).not.toMatch(/~[23]~a~/);
    const onlyB = stores.reopen({ keys: { b: KEY_B }, currentKeyId: 'b', encryptMetadata: true }).store;
    expect((await onlyB.getMessages('u', 's')).slice(0, 3)).toEqual(before);
    expect(await onlyB.getSession('u', 's', { limit: 0 })).toMatchObject({ metadata: { title: 'secret', other: 1 }, lastSeq: 5, messageCount: 4 });
    // Nothing left to do: a second run writes nothing.
    expect(await reencryptSession(rotated.store, rotated.codec, 'u', 's')).toEqual({ sessions: 0, messages: 0 });
    expect(await reencryptSession(rotated.store, rotated.codec, 'u', 'missing')).toEqual({ sessions: 0, messages: 0 });
  });

  it('keeps no internal data under any id: the store holds the user\'s sessions and nothing else', async () => {
    const stores = memoryStores();
    await stores.store.append('u', 's', [{ i: 1 }, { i: 2 }]);
    const rotated = stores.reopen(BOTH);
    await reencryptSession(rotated.store, rotated.codec, 'u', 's');
    const users: string[] = [];
    for await (const user of rotated.store.listUsers()) users.push(user);
    expect(users).toEqual(['u']);
    expect(stores.backing.sessionsOf('u').map((s) => s.id)).toEqual(['s']);
  });

  it('reencryptUser covers every session of the user and no other user', async () => {
    const stores = memoryStores();
    for (const id of ['s1', 's2', 's3']) await stores.store.append('u', id, [{ id }, { id }]);
    await stores.store.append('other', 's1', { id: 'other' });
    const rotated = stores.reopen(BOTH);
    expect(await reencryptUser(rotated.store, rotated.codec, 'u')).toEqual({ sessions: 3, messages: 6 });
    for (const id of ['s1', 's2', 's3']) expect(keyIds(stores.backing, 'u', id)).toEqual(['b', 'b']);
    expect(keyIds(stores.backing, 'other', 's1')).toEqual(['a']);
  });

  it('leaves undecryptable messages as they are (with "skip") instead of destroying them', async () => {
    const stores = memoryStores();
    await stores.store.append('u', 's', [{ i: 1 }, { i: 2 }, { i: 3 }]);
    const foreign = '"~2~gone~AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"';
    setRawText(stores.backing, 'u', 's', 3, foreign);
    const rotated = stores.reopen({ ...BOTH, onDecryptError: 'skip' });
    expect(await reencryptSession(rotated.store, rotated.codec, 'u', 's')).toEqual({ sessions: 1, messages: 2 });
    expect(keyIds(stores.backing, 'u', 's')).toEqual(['b', 'b', 'gone']);
    // With "throw", the rotation stops on it, loudly.
    const strict = stores.reopen(BOTH);
    await expect(reencryptSession(strict.store, strict.codec, 'u', 's')).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
  });

  it('refuses a store that does not use the codec, instead of silently doing nothing', async () => {
    const backing = new MemoryBacking();
    const codec = encryption(BOTH);
    const store = new InMemorySessionStore({ backing, codecs: [encryption(BOTH)] });
    await store.append('u', 's', { i: 1 });
    await expect(reencryptSession(store, codec, 'u', 's')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('does not use this encryption codec') });
    await expect(reencryptSession(store, codec, 'u', 's', { batchSize: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('two rotations of one session at once are harmless', async () => {
    const stores = memoryStores();
    for (let i = 0; i < 50; i++) await stores.store.append('u', 's', { i });
    const one = stores.reopen(BOTH);
    const two = stores.reopen(BOTH);
    await Promise.all([reencryptSession(one.store, one.codec, 'u', 's', { batchSize: 3 }), reencryptSession(two.store, two.codec, 'u', 's', { batchSize: 4 })]);
    expect((await one.store.getMessages('u', 's')).map((m) => m.message['i'])).toEqual([...Array(50).keys()]);
    expect(new Set(keyIds(stores.backing, 'u', 's'))).toEqual(new Set(['b']));
  });

  it('loses no append and resurrects no pop or clear while clients append, pop and clear during it', async () => {
    const backing = new MemoryBacking();
    await rotationUnderLoad(
      async (options) => {
        const codec = encryption(options);
        return { store: new InMemorySessionStore({ backing, codecs: [codec] }), codec };
      },
      'dave',
      'long',
      { seed: 200, writers: 4, perWriter: 60, pops: 40 },
    );
  });
});
