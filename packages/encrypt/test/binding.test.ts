import { InMemorySessionStore, isSessionStoreError, MemoryBacking } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { encryption, reencryptSession, type BindingChoice } from '../src/index.js';
import { KEY_A, KEY_B, rawState, rawTexts } from './fixtures.js';

const KEYS = { keys: { a: KEY_A }, currentKeyId: 'a', encryptMetadata: true } as const;

function storeOver(backing: MemoryBacking, binding: BindingChoice) {
  const codec = encryption({ ...KEYS, binding });
  return { codec, store: new InMemorySessionStore({ backing, codecs: [codec] }) };
}

describe('the AEAD binding', () => {
  it('auto picks sodium-native when it is installed (it is, in this workspace): ChaCha20-Poly1305, format 3', () => {
    expect(encryption(KEYS).cipher).toEqual({ algorithm: 'chacha20-poly1305', binding: 'sodium-native', format: 3 });
    expect(encryption({ ...KEYS, binding: 'sodium-native' }).cipher.binding).toBe('sodium-native');
  });

  it('node:crypto writes AES-256-GCM envelopes, format 2', async () => {
    const backing = new MemoryBacking();
    const { codec, store } = storeOver(backing, 'node:crypto');
    expect(codec.cipher).toEqual({ algorithm: 'aes-256-gcm', binding: 'node:crypto', format: 2 });
    await store.append('u', 's', [{ text: 'one' }]);
    expect(rawTexts(backing, 'u', 's')[0]).toMatch(/^"~2~a~/);
  });

  it('refuses an unknown binding', () => {
    const error = (() => {
      try {
        encryption({ ...KEYS, binding: 'openssl' as BindingChoice });
      } catch (e) {
        return e;
      }
    })();
    expect(isSessionStoreError(error, 'INVALID_ARGUMENT')).toBe(true);
  });

  it('each binding reads what the other wrote, messages and metadata, in one session', async () => {
    const backing = new MemoryBacking();
    const sodium = storeOver(backing, 'sodium-native');
    const node = storeOver(backing, 'node:crypto');
    await sodium.store.createSession('u', { sessionId: 's', metadata: { title: 'from sodium' } });
    await sodium.store.append('u', 's', [{ text: 'sealed by sodium-native', n: 1 }]);
    await node.store.append('u', 's', [{ text: 'sealed by node:crypto ✓', n: 2 }]);
    await node.store.updateSession('u', 's', { metadata: { note: 'from node' } });
    expect(rawTexts(backing, 'u', 's').map((t) => t.slice(0, 5))).toEqual(['"~3~a', '"~2~a']);
    const expected = [{ text: 'sealed by sodium-native', n: 1 }, { text: 'sealed by node:crypto ✓', n: 2 }];
    for (const { store } of [sodium, node]) {
      const session = await store.getSession('u', 's');
      expect(session!.messages.map((m) => m.message)).toEqual(expected);
      expect(session!.metadata).toEqual({ title: 'from sodium', note: 'from node' });
    }
  });

  it('node:crypto opens format 3 through its own ChaCha20-Poly1305 (a process without sodium-native)', async () => {
    const backing = new MemoryBacking();
    await storeOver(backing, 'sodium-native').store.append('u', 's', [{ text: 'x'.repeat(5000) }, { text: '' }]);
    const node = storeOver(backing, 'node:crypto');
    expect((await node.store.getMessages('u', 's')).map((m) => m.message)).toEqual([{ text: 'x'.repeat(5000) }, { text: '' }]);
  });

  it('a rotation under the same key leaves formats 2 and 3 alone (both are current), and a rotation to a new key writes the current format', async () => {
    const backing = new MemoryBacking();
    const sodium = storeOver(backing, 'sodium-native');
    const node = storeOver(backing, 'node:crypto');
    await sodium.store.append('u', 's', { i: 1 });
    await node.store.append('u', 's', { i: 2 });
    expect(await reencryptSession(node.store, node.codec, 'u', 's')).toEqual({ sessions: 0, messages: 0 });
    expect(await reencryptSession(sodium.store, sodium.codec, 'u', 's')).toEqual({ sessions: 0, messages: 0 });
    const rotated = encryption({ keys: { a: KEY_A, b: KEY_B }, currentKeyId: 'b', encryptMetadata: true, binding: 'sodium-native' });
    const rotatedStore = new InMemorySessionStore({ backing, codecs: [rotated] });
    expect(await reencryptSession(rotatedStore, rotated, 'u', 's')).toEqual({ sessions: 1, messages: 2 });
    expect(rawTexts(backing, 'u', 's').map((t) => t.slice(0, 5))).toEqual(['"~3~b', '"~3~b']);
    expect(rawState(backing, 'u', 's').lastSeq).toBe(2);
    expect((await rotatedStore.getMessages('u', 's')).map((m) => m.message)).toEqual([{ i: 1 }, { i: 2 }]);
  });

  it('round-trips texts of every size through both bindings, small ones in reused buffers and huge ones in their own', () => {
    const texts = ['""', JSON.stringify('ünïcødé 🎉'.repeat(3_000)), JSON.stringify('x'.repeat(200_000)), '{"a":1}', JSON.stringify('é'.repeat(40_000))];
    const context = { userId: 'u', sessionId: 's' };
    const sodium = encryption({ ...KEYS, binding: 'sodium-native' });
    const node = encryption({ ...KEYS, binding: 'node:crypto' });
    for (const [writer, reader] of [[sodium, node], [node, sodium], [sodium, sodium], [node, node]] as const) {
      const stored = writer.encode(texts, context);
      const entries = stored.map((text, i) => ({ seq: i + 1, createdAt: 0, text }));
      expect(reader.decode(entries, context).map((entry) => entry.text)).toEqual(texts);
    }
  });
});
