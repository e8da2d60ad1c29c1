import { isSessionStoreError, type JsonObject } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { KEY_B, memoryStores, rawMessages } from './fixtures.js';

/** Appends `message` through the store, then returns its raw envelope. */
async function sealed(stores: ReturnType<typeof memoryStores>, userId: string, sessionId: string, message: JsonObject): Promise<JsonObject> {
  await stores.store.append(userId, sessionId, message);
  const all = await rawMessages(stores.raw, userId, sessionId);
  return all[all.length - 1]!;
}

async function decryptFailure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => null, (e: unknown) => e as Error);
  expect(error, 'expected DECRYPT_FAILED').not.toBeNull();
  expect(isSessionStoreError(error, 'DECRYPT_FAILED')).toBe(true);
  return error!;
}

/** Replaces the newest stored envelope of a session by `mutate(envelope)`, at the same seq. */
async function replaceNewest(stores: ReturnType<typeof memoryStores>, userId: string, sessionId: string, mutate: (e: JsonObject) => JsonObject): Promise<void> {
  const popped = await stores.raw.popMessage(userId, sessionId);
  await stores.raw.restoreMessages(userId, sessionId, [{ ...popped!, message: mutate(popped!.message) }]);
}

function flip(base64: string, index: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[index] = bytes[index]! ^ 0x01;
  return bytes.toString('base64');
}

describe('tampered or foreign data gives DECRYPT_FAILED', () => {
  it('a flipped byte in the ciphertext, the tag or the nonce', async () => {
    const stores = memoryStores();
    const cases: [string, (e: JsonObject) => JsonObject][] = [
      ['first ciphertext byte', (e) => ({ ...e, ct: flip(e['ct'] as string, 0) })],
      ['last tag byte', (e) => ({ ...e, ct: flip(e['ct'] as string, Buffer.from(e['ct'] as string, 'base64').length - 1) })],
      ['nonce byte', (e) => ({ ...e, n: flip(e['n'] as string, 3) })],
    ];
    for (const [name, mutate] of cases) {
      await stores.store.append('u', name, [{ text: 'fine' }, { text: 'hello secret' }]);
      await replaceNewest(stores, 'u', name, mutate);
      const error = await decryptFailure(stores.store.getMessages('u', name));
      expect(error.message).toContain('seq 2');
      expect(error.message).not.toContain('hello');
      expect(error.message).toMatch(/^\[sessions\] \[memory\]/);
      expect((await stores.store.getMessages('u', name, { limit: 1, from: 'start' })).map((m) => m.message)).toEqual([{ text: 'fine' }]);
    }
  });

  it('an envelope copied into another session of the same user, or into another user', async () => {
    const stores = memoryStores();
    const envelope = await sealed(stores, 'alice', 'chat-1', { text: 'for chat-1 only' });
    await stores.raw.append('alice', 'chat-2', envelope);
    await stores.raw.append('bob', 'chat-1', envelope);
    await decryptFailure(stores.store.getMessages('alice', 'chat-2'));
    await decryptFailure(stores.store.getMessages('bob', 'chat-1'));
    await decryptFailure(stores.store.getSession('bob', 'chat-1'));
    await decryptFailure(stores.store.popMessage('bob', 'chat-1'));
    expect((await stores.store.getMessages('alice', 'chat-1')).map((m) => m.message)).toEqual([{ text: 'for chat-1 only' }]);
  });

  it('a wrong or unknown key id, a truncated envelope, a plaintext message in place of an envelope', async () => {
    const stores = memoryStores();
    const withB = stores.reopen({ keys: { a: Buffer.alloc(32, 0xa1), b: KEY_B }, currentKeyId: 'a' });
    const cases: [string, (e: JsonObject) => JsonObject, RegExp][] = [
      ['wrong-kid', (e) => ({ ...e, kid: 'b' }), /authentication failed/],
      ['unknown-kid', (e) => ({ ...e, kid: 'zzz' }), /"zzz" is not in the keyring/],
      ['truncated', (e) => ({ ...e, ct: (e['ct'] as string).slice(0, 12) }), /truncated/],
      ['no-nonce', (e) => ({ ...e, n: '' }), /truncated/],
      ['plaintext', () => ({ text: 'not encrypted' }), /unsupported envelope version/],
      ['version', (e) => ({ ...e, v: 2 }), /unsupported envelope version 2/],
      ['not-strings', (e) => ({ ...e, ct: 5 }), /lacks kid, n or ct/],
    ];
    for (const [id, mutate, reason] of cases) {
      await stores.store.append('u', id, { text: 'x' });
      await replaceNewest(stores, 'u', id, mutate);
      const error = await decryptFailure(withB.getMessages('u', id));
      expect(error.message).toMatch(reason);
    }
  });

  it('a metadata value moved to another key', async () => {
    const stores = memoryStores({ encryptMetadata: true });
    await stores.store.createSession('u', { sessionId: 's', metadata: { role: 'viewer', secret: 'admin' } });
    const stored = (await stores.raw.getSession('u', 's'))!.metadata;
    await stores.raw.updateSession('u', 's', { metadata: { role: stored['secret']! } });
    const error = await decryptFailure(stores.store.getSession('u', 's'));
    expect(error.message).toContain('metadata key "role"');
  });

  it('with onDecryptError "skip", unreadable items are left out instead', async () => {
    const stores = memoryStores();
    const envelope = await sealed(stores, 'u', 's', { text: 'one' });
    await stores.raw.append('u', 's', { ...envelope, ct: flip(envelope['ct'] as string, 1) });
    await stores.store.append('u', 's', { text: 'three' });
    const skipping = stores.reopen({ onDecryptError: 'skip' });
    expect((await skipping.getMessages('u', 's')).map((m) => [m.seq, m.message])).toEqual([[1, { text: 'one' }], [3, { text: 'three' }]]);
    await decryptFailure(stores.store.getMessages('u', 's'));
    expect(await skipping.popMessage('u', 's')).toMatchObject({ seq: 3 });
    // The unreadable seq 2 is discarded by the pop, which then returns seq 1.
    expect(await skipping.popMessage('u', 's')).toMatchObject({ seq: 1, message: { text: 'one' } });
    expect(await skipping.popMessage('u', 's')).toBeNull();
  });
});
