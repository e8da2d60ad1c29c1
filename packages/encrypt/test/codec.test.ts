import { InMemorySessionStore, MemoryBacking, type JsonObject } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { encryption, encryptStore } from '../src/index.js';
import { KEY_A, KEY_B, memoryStores, rawState, rawText, rawTexts, setRawText } from './fixtures.js';

const SECRET = 'my card number is 4111-1111-1111-1111';

describe('the encryption codec over the in-memory store', () => {
  it('round-trips messages and stores only envelopes', async () => {
    const { store, backing, codec } = memoryStores();
    const messages: JsonObject[] = [
      { role: 'user', content: SECRET },
      { type: 'function_call', name: 'lookup', arguments: '{"q":"ünïcødé 🎉"}', n: 2 ** 53 - 1, nested: { a: [1, null, true] } },
    ];
    expect(await store.append('alice', 's1', messages)).toEqual({ firstSeq: 1, lastSeq: 2, duplicate: false });
    const read = await store.getMessages('alice', 's1');
    expect(read.map((m) => m.message)).toEqual(messages);
    expect(read.map((m) => m.seq)).toEqual([1, 2]);
    for (const text of rawTexts(backing, 'alice', 's1')) expect(text).toMatch(new RegExp(`^"~${codec.cipher.format}~a~[A-Za-z0-9_-]+"$`));
    const text = rawText(backing, 'alice');
    for (const needle of ['4111', 'lookup', 'function_call', 'content']) expect(text).not.toContain(needle);
  });

  it('uses a fresh nonce per message: equal messages give different ciphertexts', async () => {
    const { store, backing } = memoryStores();
    await store.append('alice', 's1', [{ text: 'same' }, { text: 'same' }]);
    const [one, two] = rawTexts(backing, 'alice', 's1');
    expect(one!.slice(0, 24)).not.toBe(two!.slice(0, 24));
  });

  it('validates once, on the plaintext: maxMessageBytes is the caller\'s message size, not the envelope\'s', async () => {
    const { store } = memoryStores({}, undefined, { maxMessageBytes: 100 });
    const fits = { text: 'x'.repeat(100 - '{"text":""}'.length) };
    expect(JSON.stringify(fits)).toHaveLength(100);
    expect((await store.append('u', 's', fits)).lastSeq).toBe(1);
    expect((await store.getMessages('u', 's'))[0]!.message).toEqual(fits);
    await expect(store.append('u', 's', { text: 'x'.repeat(200) })).rejects.toMatchObject({ code: 'TOO_LARGE' });
    await expect(store.append('u', 's', { when: new Date() } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('binds keys to trimmed ids, as the store trims them', async () => {
    const { store } = memoryStores();
    await store.append('  u ', ' s  ', { ok: true });
    expect((await store.getMessages('u', 's')).map((m) => m.message)).toEqual([{ ok: true }]);
  });

  it('stores idempotency keys as a keyed hash, recognised across a change of the current key', async () => {
    const stores = memoryStores();
    const key = 'alice-wire-transfer-to-IBAN-DE89370400440532013000';
    await stores.store.append('alice', 's', { i: 1 }, { idempotencyKey: key });
    const stored = [...rawState(stores.backing, 'alice', 's').idempotency.keys()];
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatch(/^h1:[A-Za-z0-9_-]{43}$/);
    expect(rawText(stores.backing, 'alice')).not.toContain('IBAN');
    // After a rotation (new current key, the first key still listed first), the retry is recognised.
    const rotated = stores.reopen({ keys: { a: KEY_A, b: KEY_B }, currentKeyId: 'b' }).store;
    expect(await rotated.append('alice', 's', { i: 1 }, { idempotencyKey: key })).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: true });
    // The same key in another session is stored as another value.
    await stores.store.append('alice', 't', { i: 1 }, { idempotencyKey: key });
    expect([...rawState(stores.backing, 'alice', 't').idempotency.keys()]).not.toEqual(stored);
    // replaceTail shares the key space.
    expect(await rotated.replaceTail('alice', 's', { afterSeq: 0, messages: [{ i: 2 }] }, { idempotencyKey: key })).toMatchObject({ duplicate: true });
  });

  it('gives DECRYPT_FAILED, never a TypeError, for a stored null or any non-envelope; "skip" leaves it out', async () => {
    const stores = memoryStores();
    await stores.store.append('u', 's', [{ i: 1 }, { i: 2 }, { i: 3 }, { i: 4 }]);
    setRawText(stores.backing, 'u', 's', 2, 'null');
    setRawText(stores.backing, 'u', 's', 3, '{"role":"user","content":"plain"}');
    setRawText(stores.backing, 'u', 's', 4, '"just a string"');
    const error = await stores.store.getMessages('u', 's').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DECRYPT_FAILED', message: expect.stringContaining('seq 2') });
    expect((error as Error).message).not.toContain('plain');
    const skipping = stores.reopen({ onDecryptError: 'skip' }).store;
    expect((await skipping.getMessages('u', 's')).map((m) => [m.seq, m.message])).toEqual([[1, { i: 1 }]]);
    expect(await skipping.popMessage('u', 's')).toBeNull();
    await expect(stores.store.getSession('u', 's')).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
  });

  it('leaves metadata in plaintext unless encryptMetadata is on', async () => {
    const plain = memoryStores();
    await plain.store.createSession('u', { sessionId: 's', metadata: { title: 'Trip to Lisbon' } });
    expect(rawText(plain.backing, 'u')).toContain('Trip to Lisbon');
  });

  it('encrypts metadata values except the plaintext keys, and merges updates per key', async () => {
    const { store, backing } = memoryStores({ encryptMetadata: true, plaintextMetadataKeys: ['tenant'] });
    const info = await store.createSession('u', { sessionId: 's', metadata: { title: 'Trip to Lisbon', tenant: 'acme', drop: null } });
    expect(info.metadata).toEqual({ title: 'Trip to Lisbon', tenant: 'acme' });
    const raw = JSON.parse(rawState(backing, 'u', 's').metadataText) as JsonObject;
    expect(raw['tenant']).toBe('acme');
    expect(raw['title']).toMatch(/^~[23]~a~/);
    expect(rawText(backing, 'u')).not.toContain('Lisbon');
    const updated = await store.updateSession('u', 's', { metadata: { title: null, budget: { eur: 900 } } });
    expect(updated.metadata).toEqual({ tenant: 'acme', budget: { eur: 900 } });
    expect((await store.getSession('u', 's'))!.metadata).toEqual({ tenant: 'acme', budget: { eur: 900 } });
    expect((await store.listSessions('u')).items[0]!.metadata).toEqual({ tenant: 'acme', budget: { eur: 900 } });
    expect(rawText(backing, 'u')).not.toContain('900');
  });

  it('is TOO_LARGE with a message saying why when encrypted metadata outgrows 64 KiB', async () => {
    const { store } = memoryStores({ encryptMetadata: true });
    const big = { notes: 'x'.repeat(60 * 1024) };
    await expect(store.createSession('u', { sessionId: 's', metadata: big })).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringContaining('once encrypted') });
    expect(await store.getSession('u', 's')).toBeNull();
    const roomy = memoryStores({ encryptMetadata: true, plaintextMetadataKeys: ['notes'] });
    expect((await roomy.store.createSession('u', { sessionId: 's', metadata: big })).metadata).toEqual(big);
  });

  it('forks by re-encrypting (rebind) for the new session, keeping seqs and createdAt', async () => {
    const { store, backing } = memoryStores();
    await store.append('u', 'src', [{ i: 1 }, { i: 2 }, { i: 3 }]);
    const fork = await store.forkSession('u', 'src', { newSessionId: 'dst', uptoSeq: 2, metadata: { extra: 'x' } });
    expect(fork).toMatchObject({ id: 'dst', lastSeq: 2, messageCount: 2, metadata: { forkedFrom: { sessionId: 'src', seq: 2 }, extra: 'x' } });
    const source = await store.getMessages('u', 'src');
    expect(await store.getMessages('u', 'dst')).toEqual(source.slice(0, 2));
    expect(rawTexts(backing, 'u', 'dst')[0]).not.toBe(rawTexts(backing, 'u', 'src')[0]);
    // A fork's ciphertext is bound to the fork: moved back into the source, it fails.
    setRawText(backing, 'u', 'src', 1, rawTexts(backing, 'u', 'dst')[0]!);
    await expect(store.getMessages('u', 'src')).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
  });

  it('rebindMetadata re-seals a fork\'s copied metadata for the fork, keeping the fork\'s own values', async () => {
    const codec = encryption({ keys: { a: KEY_A }, currentKeyId: 'a', encryptMetadata: true });
    const from = { userId: 'u', sessionId: 'src' };
    const to = { userId: 'u', sessionId: 'dst' };
    const source = codec.encodeMetadata({ title: 'secret title' }, from);
    const patch = codec.encodeMetadata({ extra: 'x' }, to);
    const copied = { ...source, forkedFrom: { sessionId: 'src', seq: 2 }, ...patch };
    expect(() => codec.decodeMetadata(copied, to)).toThrow(/metadata key "title"/);
    const rebound = codec.rebindMetadata(copied, from, to);
    expect(rebound['extra']).toBe(patch['extra']);
    expect(codec.decodeMetadata(rebound, to)).toEqual({ title: 'secret title', forkedFrom: { sessionId: 'src', seq: 2 }, extra: 'x' });
  });

  // Fails today: the driver copies the source's sealed metadata values into the fork, where they
  // no longer open (they are bound to the source). The codec has rebindMetadata for it; core's
  // forkSession must call it (and write the result) after the driver fork. Flip to \`it\` then.
  it('forks a session whose metadata is encrypted', async () => {
    const { store } = memoryStores({ encryptMetadata: true });
    await store.createSession('u', { sessionId: 'src', metadata: { title: 'secret title' } });
    await store.append('u', 'src', [{ i: 1 }]);
    const fork = await store.forkSession('u', 'src', { newSessionId: 'dst', metadata: { extra: 'x' } });
    expect(fork.metadata).toEqual({ title: 'secret title', forkedFrom: { sessionId: 'src', seq: 1 }, extra: 'x' });
    expect((await store.getSession('u', 'dst'))!.metadata).toEqual(fork.metadata);
  });

  it('restores sessions and messages encrypted, keeping seqs', async () => {
    const { store, backing } = memoryStores({ encryptMetadata: true });
    const now = Date.now();
    await store.restoreSession('u', { id: 's', metadata: { title: 'imported' }, createdAt: new Date(now), updatedAt: new Date(now), expiresAt: null, lastSeq: 10 });
    await store.restoreMessages('u', 's', [
      { seq: 4, createdAt: new Date(now - 10), message: { text: 'four' } },
      { seq: 7, createdAt: new Date(now - 5), message: { text: 'seven' } },
    ]);
    expect((await store.getMessages('u', 's')).map((m) => [m.seq, m.message])).toEqual([[4, { text: 'four' }], [7, { text: 'seven' }]]);
    expect((await store.getSession('u', 's'))!.metadata).toEqual({ title: 'imported' });
    expect(rawText(backing, 'u')).not.toMatch(/four|seven|imported/);
  });

  it('encryptStore adds the codec to a store of this project and refuses anything else', async () => {
    const backing = new MemoryBacking();
    const store = encryptStore(new InMemorySessionStore({ backing }), { keys: { a: KEY_A }, currentKeyId: 'a' });
    await store.append('u', 's', { secret: SECRET });
    expect(rawText(backing, 'u')).not.toContain('4111');
    expect((await store.getMessages('u', 's'))[0]!.message).toEqual({ secret: SECRET });
    const notOurs = { append: async () => undefined } as never;
    expect(() => encryptStore(notOurs, { keys: { a: KEY_A }, currentKeyId: 'a' })).toThrow(/DriverSessionStore/);
    expect(() => encryptStore(null as never, { keys: { a: KEY_A }, currentKeyId: 'a' })).toThrow(/DriverSessionStore/);
    await store.close();
    await expect(store.append('u', 's', { a: 1 })).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('checks its options at construction', () => {
    expect(() => encryption({ keys: { a: KEY_A }, currentKeyId: 'a', messageTtlMs: -1 })).toThrow(/messageTtlMs/);
    expect(() => encryption({ keys: { a: KEY_A }, currentKeyId: 'a', onDecryptError: 'ignore' as never })).toThrow(/onDecryptError/);
    expect(() => encryption({ keys: { a: KEY_A } })).toThrow(/currentKeyId/);
    expect(() => encryption({ keys: { a: KEY_A }, currentKeyId: 'a', hmacKeyId: 'zz' })).toThrow(/hmacKeyId/);
    expect(() => encryption({ keys: { a: KEY_A }, currentKeyId: 'a', keyCacheSize: 0 })).toThrow(/keyCacheSize/);
  });
});
