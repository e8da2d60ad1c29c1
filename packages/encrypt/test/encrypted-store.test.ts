import type { JsonObject } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { encryptStore } from '../src/index.js';
import { KEY_A, memoryStores, rawMessages, rawText } from './fixtures.js';

const SECRET = 'my card number is 4111-1111-1111-1111';

describe('encryptStore over the in-memory store', () => {
  it('round-trips messages and stores only envelopes', async () => {
    const { store, raw } = memoryStores();
    const messages: JsonObject[] = [
      { role: 'user', content: SECRET },
      { type: 'function_call', name: 'lookup', arguments: '{"q":"ünïcødé 🎉"}', n: 2 ** 53 - 1, nested: { a: [1, null, true] } },
    ];
    const result = await store.append('alice', 's1', messages);
    expect(result).toEqual({ firstSeq: 1, lastSeq: 2, duplicate: false });
    const read = await store.getMessages('alice', 's1');
    expect(read.map((m) => m.message)).toEqual(messages);
    expect(read.map((m) => m.seq)).toEqual([1, 2]);

    const stored = await rawMessages(raw, 'alice', 's1');
    for (const envelope of stored) {
      expect(Object.keys(envelope).sort()).toEqual(['ct', 'kid', 'n', 'v']);
      expect(envelope['kid']).toBe('a');
    }
    const text = await rawText(raw, 'alice');
    expect(text).not.toContain('4111');
    expect(text).not.toContain('lookup');
    expect(text).not.toContain('function_call');
  });

  it('uses a fresh nonce per message: equal messages give different ciphertexts', async () => {
    const { store, raw } = memoryStores();
    await store.append('alice', 's1', [{ text: 'same' }, { text: 'same' }]);
    const [one, two] = await rawMessages(raw, 'alice', 's1');
    expect(one!['n']).not.toBe(two!['n']);
    expect(one!['ct']).not.toBe(two!['ct']);
  });

  it('reads through getSession, getOrCreateSession, popMessage and limits', async () => {
    const { store } = memoryStores();
    for (let i = 1; i <= 5; i++) await store.append('u', 's', { i });
    const session = await store.getSession('u', 's', { limit: 2 });
    expect(session?.messages.map((m) => m.message)).toEqual([{ i: 4 }, { i: 5 }]);
    const got = await store.getOrCreateSession('u', 's', { limit: 1 });
    expect(got.created).toBe(false);
    expect(got.messages.map((m) => m.message)).toEqual([{ i: 5 }]);
    expect((await store.getMessages('u', 's', { limit: 2, from: 'start', afterSeq: 1 })).map((m) => m.message)).toEqual([{ i: 2 }, { i: 3 }]);
    expect(await store.popMessage('u', 's')).toMatchObject({ seq: 5, message: { i: 5 } });
    expect(await store.popMessage('u', 'missing')).toBeNull();
  });

  it('validates plaintext messages like any store, before encrypting', async () => {
    const { store } = memoryStores({ maxMessageBytes: 100 });
    await expect(store.append('u', 's', [])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.append('u', 's', { when: new Date() } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(store.append('u', 's', { text: 'x'.repeat(200) })).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(await store.getSession('u', 's')).toBeNull();
  });

  it('binds keys to trimmed ids, as the inner store trims them', async () => {
    const { store } = memoryStores();
    await store.append('  u ', ' s  ', { ok: true });
    expect((await store.getMessages('u', 's')).map((m) => m.message)).toEqual([{ ok: true }]);
  });

  it('leaves metadata in plaintext unless encryptMetadata is on', async () => {
    const plain = memoryStores();
    await plain.store.createSession('u', { sessionId: 's', metadata: { title: 'Trip to Lisbon' } });
    expect(await rawText(plain.raw, 'u')).toContain('Trip to Lisbon');
  });

  it('encrypts metadata values except the plaintext keys, and merges updates atomically per key', async () => {
    const { store, raw } = memoryStores({ encryptMetadata: true, plaintextMetadataKeys: ['tenant'] });
    const info = await store.createSession('u', { sessionId: 's', metadata: { title: 'Trip to Lisbon', tenant: 'acme', drop: null } });
    expect(info.metadata).toEqual({ title: 'Trip to Lisbon', tenant: 'acme' });
    const rawInfo = await raw.getSession('u', 's');
    expect(rawInfo!.metadata['tenant']).toBe('acme');
    expect(rawInfo!.metadata['title']).toMatchObject({ v: 1, kid: 'a' });
    expect(await rawText(raw, 'u')).not.toContain('Lisbon');

    const updated = await store.updateSession('u', 's', { metadata: { title: null, budget: { eur: 900 } } });
    expect(updated.metadata).toEqual({ tenant: 'acme', budget: { eur: 900 } });
    expect((await store.getSession('u', 's'))!.metadata).toEqual({ tenant: 'acme', budget: { eur: 900 } });
    expect((await store.listSessions('u')).items[0]!.metadata).toEqual({ tenant: 'acme', budget: { eur: 900 } });
    expect(await rawText(raw, 'u')).not.toContain('900');
  });

  it('forks by re-encrypting for the new session, keeping seqs and createdAt', async () => {
    const { store, raw } = memoryStores({ encryptMetadata: true });
    await store.createSession('u', { sessionId: 'src', metadata: { title: 'secret title' } });
    await store.append('u', 'src', [{ i: 1 }, { i: 2 }, { i: 3 }]);
    const fork = await store.forkSession('u', 'src', { newSessionId: 'dst', uptoSeq: 2, metadata: { extra: 'x' } });
    expect(fork).toMatchObject({ id: 'dst', lastSeq: 2, messageCount: 2 });
    expect(fork.metadata).toEqual({ title: 'secret title', forkedFrom: { sessionId: 'src', seq: 2 }, extra: 'x' });
    const source = await store.getMessages('u', 'src');
    const copied = await store.getMessages('u', 'dst');
    expect(copied).toEqual(source.slice(0, 2));
    const rawSource = await rawMessages(raw, 'u', 'src');
    const rawFork = await rawMessages(raw, 'u', 'dst');
    expect(rawFork[0]!['ct']).not.toBe(rawSource[0]!['ct']);
    expect((await store.append('u', 'dst', { i: 9 })).firstSeq).toBe(3);
    await expect(store.forkSession('u', 'missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.forkSession('u', 'src', { newSessionId: 'dst' })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });

  it('restores sessions and messages encrypted, keeping seqs', async () => {
    const { store, raw } = memoryStores({ encryptMetadata: true });
    const now = Date.now();
    await store.restoreSession('u', { id: 's', metadata: { title: 'imported' }, createdAt: new Date(now), updatedAt: new Date(now), expiresAt: null, lastSeq: 10 });
    await store.restoreMessages('u', 's', [
      { seq: 4, createdAt: new Date(now - 10), message: { text: 'four' } },
      { seq: 7, createdAt: new Date(now - 5), message: { text: 'seven' } },
    ]);
    expect((await store.getMessages('u', 's')).map((m) => [m.seq, m.message])).toEqual([[4, { text: 'four' }], [7, { text: 'seven' }]]);
    expect((await store.getSession('u', 's'))!.metadata).toEqual({ title: 'imported' });
    expect(await rawText(raw, 'u')).not.toMatch(/four|seven|imported/);
    await expect(store.restoreMessages('u', 's', [{ seq: 5, createdAt: new Date(now), message: { text: 'five' } }])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('hides the journal user from listUsers and rejects every call after close', async () => {
    const { store } = memoryStores();
    await store.append('u', 's', { a: 1 });
    const users: string[] = [];
    for await (const user of store.listUsers()) users.push(user);
    expect(users).toEqual(['u']);
    await store.close();
    await store.close();
    await expect(store.append('u', 's', { a: 1 })).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(store.getMessages('', '')).rejects.toMatchObject({ code: 'CLOSED' });
    expect((await store.health()).ok).toBe(false);
  });

  it('checks its options at construction', async () => {
    const { raw } = memoryStores();
    expect(() => encryptStore(raw, { keys: { a: KEY_A }, currentKeyId: 'a', messageTtlMs: -1 })).toThrow(/messageTtlMs/);
    expect(() => encryptStore(raw, { keys: { a: KEY_A }, currentKeyId: 'a', onDecryptError: 'ignore' as never })).toThrow(/onDecryptError/);
    expect(() => encryptStore(raw, { keys: { a: KEY_A } })).toThrow(/currentKeyId/);
    expect(() => encryptStore(null as never, { keys: { a: KEY_A }, currentKeyId: 'a' })).toThrow(/SessionStore/);
  });
});

describe('encrypted metadata size', () => {
  it('is TOO_LARGE with a message saying why when the encrypted form outgrows 64 KiB', async () => {
    const { store } = memoryStores({ encryptMetadata: true });
    const big = { notes: 'x'.repeat(60 * 1024) };
    await expect(store.createSession('u', { sessionId: 's', metadata: big })).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringContaining('once encrypted') });
    expect(await store.getSession('u', 's')).toBeNull();
    const roomy = memoryStores({ encryptMetadata: true, plaintextMetadataKeys: ['notes'] });
    expect((await roomy.store.createSession('u', { sessionId: 's', metadata: big })).metadata).toEqual(big);
  });
});
