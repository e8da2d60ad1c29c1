import { isSessionStoreError } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { KEY_A, KEY_B, memoryStores, rawTexts, setRawText, type Stores } from './fixtures.js';

async function decryptFailure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => null, (e: unknown) => e as Error);
  expect(error, 'expected DECRYPT_FAILED').not.toBeNull();
  expect(isSessionStoreError(error, 'DECRYPT_FAILED')).toBe(true);
  return error!;
}

/** Format-2 or format-3 text with its packed bytes changed by `mutate`. */
function mutatePacked(text: string, mutate: (bytes: Buffer) => Buffer): string {
  const [, format, kid, body] = text.slice(1, -1).split('~');
  return `"~${format}~${kid}~${mutate(Buffer.from(body!, 'base64url')).toString('base64url')}"`;
}

function flip(index: (bytes: Buffer) => number) {
  return (bytes: Buffer) => {
    const copy = Buffer.from(bytes);
    const i = index(copy);
    copy[i] = copy[i]! ^ 0x01;
    return copy;
  };
}

async function appendThenTamper(stores: Stores, sessionId: string, tamper: (text: string) => string): Promise<void> {
  await stores.store.append('u', sessionId, [{ text: 'fine' }, { text: 'hello secret' }]);
  setRawText(stores.backing, 'u', sessionId, 2, tamper(rawTexts(stores.backing, 'u', sessionId)[1]!));
}

// Both envelope formats this package writes: 3 (ChaCha20-Poly1305, sodium-native) and 2 (AES-256-GCM, node:crypto).
describe.each(['sodium-native', 'node:crypto'] as const)('tampered or foreign data gives DECRYPT_FAILED (binding %s)', (binding) => {
  it('a flipped byte in the nonce, the ciphertext or the tag', async () => {
    const stores = memoryStores({ binding });
    const cases: [string, (bytes: Buffer) => Buffer][] = [
      ['nonce byte', flip(() => 3)],
      ['first ciphertext byte', flip(() => 12)],
      ['last tag byte', flip((bytes) => bytes.length - 1)],
    ];
    for (const [name, mutate] of cases) {
      await appendThenTamper(stores, name, (text) => mutatePacked(text, mutate));
      const error = await decryptFailure(stores.store.getMessages('u', name));
      expect(error.message).toContain('seq 2');
      expect(error.message).toMatch(/authentication failed/);
      expect(error.message).not.toContain('hello');
      expect((await stores.store.getMessages('u', name, { limit: 1, from: 'start' })).map((m) => m.message)).toEqual([{ text: 'fine' }]);
    }
  });

  it('an envelope copied into another session of the same user, or into another user', async () => {
    const stores = memoryStores({ binding });
    await stores.store.append('alice', 'chat-1', { text: 'for chat-1 only' });
    await stores.store.append('alice', 'chat-2', { text: 'x' });
    await stores.store.append('bob', 'chat-1', { text: 'x' });
    const envelope = rawTexts(stores.backing, 'alice', 'chat-1')[0]!;
    setRawText(stores.backing, 'alice', 'chat-2', 1, envelope);
    setRawText(stores.backing, 'bob', 'chat-1', 1, envelope);
    await decryptFailure(stores.store.getMessages('alice', 'chat-2'));
    await decryptFailure(stores.store.getMessages('bob', 'chat-1'));
    await decryptFailure(stores.store.getSession('bob', 'chat-1'));
    await decryptFailure(stores.store.popMessage('bob', 'chat-1'));
    expect((await stores.store.getMessages('alice', 'chat-1')).map((m) => m.message)).toEqual([{ text: 'for chat-1 only' }]);
  });

  it('a wrong or unknown key id, a truncated envelope, a plaintext message, a format-1 envelope changed', async () => {
    const stores = memoryStores({ binding });
    const withB = stores.reopen({ keys: { a: KEY_A, b: KEY_B }, currentKeyId: 'a' }).store;
    const cases: [string, (text: string) => string, RegExp][] = [
      ['wrong-kid', (t) => t.replace(/^"~(\d)~a~/, '"~$1~b~'), /authentication failed/],
      ['unknown-kid', (t) => t.replace(/^"~(\d)~a~/, '"~$1~zzz~'), /"zzz" is not in the keyring/],
      ['other-format', (t) => t.replace(/^"~(\d)~/, (_, f: string) => `"~${f === '2' ? 3 : 2}~`), /authentication failed/],
      ['truncated', (t) => t.slice(0, 20) + '"', /truncated/],
      ['no-separator', () => '"~2~abc"', /truncated/],
      ['plaintext', () => '{"text":"not encrypted"}', /unsupported envelope version/],
      ['v1-version', () => '{"v":3,"kid":"a","n":"","ct":""}', /unsupported envelope version 3/],
      ['v1-not-strings', () => '{"v":1,"kid":"a","n":"AAAAAAAAAAAAAAAA","ct":5}', /lacks kid, n or ct/],
      ['v1-short-nonce', () => '{"v":1,"kid":"a","n":"AAAA","ct":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}', /truncated/],
      ['not-json', () => '{oops', /not an encryption envelope/],
    ];
    for (const [id, mutate, reason] of cases) {
      await appendThenTamper(stores, id, mutate);
      const error = await decryptFailure(withB.getMessages('u', id));
      expect(error.message, id).toMatch(reason);
    }
  });

  it('a metadata value moved to another key, or replaced by a plaintext value', async () => {
    const stores = memoryStores({ encryptMetadata: true, binding });
    await stores.store.createSession('u', { sessionId: 's', metadata: { role: 'viewer', secret: 'admin' } });
    const state = stores.backing.sessionsOf('u')[0]!;
    const stored = JSON.parse(state.metadataText) as Record<string, string>;
    state.metadataText = JSON.stringify({ ...stored, role: stored['secret'] });
    expect((await decryptFailure(stores.store.getSession('u', 's'))).message).toContain('metadata key "role"');
    state.metadataText = JSON.stringify({ ...stored, role: 'admin' });
    await decryptFailure(stores.store.getSession('u', 's'));
    state.metadataText = JSON.stringify({ ...stored, role: null });
    await decryptFailure(stores.store.getSession('u', 's'));
    expect((await stores.reopen({ encryptMetadata: true, onDecryptError: 'skip' }).store.getSession('u', 's'))!.metadata).toEqual({ secret: 'admin' });
  });

  it('with onDecryptError "skip", unreadable messages are left out instead', async () => {
    const stores = memoryStores({ binding });
    await stores.store.append('u', 's', [{ text: 'one' }, { text: 'two' }, { text: 'three' }]);
    setRawText(stores.backing, 'u', 's', 2, mutatePacked(rawTexts(stores.backing, 'u', 's')[1]!, flip(() => 20)));
    const skipping = stores.reopen({ onDecryptError: 'skip' }).store;
    expect((await skipping.getMessages('u', 's')).map((m) => [m.seq, m.message])).toEqual([[1, { text: 'one' }], [3, { text: 'three' }]]);
    await decryptFailure(stores.store.getMessages('u', 's'));
    expect(await skipping.popMessage('u', 's')).toMatchObject({ seq: 3 });
    // The pop of the unreadable seq 2 removes it and returns null (it was never readable).
    expect(await skipping.popMessage('u', 's')).toBeNull();
    expect(await skipping.popMessage('u', 's')).toMatchObject({ seq: 1, message: { text: 'one' } });
  });
});
