import { createCipheriv, hkdfSync } from 'node:crypto';
import { isSessionStoreError } from '@sessions/core';
import { describe, expect, it, vi } from 'vitest';
import { encryption } from '../src/index.js';
import { associatedData, SCHEME } from '../src/session-keys.js';
import { KEY_A } from './fixtures.js';

// A process where sodium-native is not installed: its require() throws, as Node's does for a
// missing package. Only the module loader is replaced; the crypto is real.
vi.mock('node:module', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:module')>();
  return {
    ...original,
    createRequire: (from: string | URL) => {
      const real = original.createRequire(from);
      return Object.assign((id: string) => {
        if (id === 'sodium-native') throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
        return real(id) as unknown;
      }, real);
    },
  };
});

describe('without sodium-native', () => {
  it('auto falls back to node:crypto AES-256-GCM (format 2), and still reads format 3', () => {
    const codec = encryption({ keys: { a: KEY_A }, currentKeyId: 'a' });
    expect(codec.cipher).toEqual({ algorithm: 'aes-256-gcm', binding: 'node:crypto', format: 2 });
    const context = { userId: 'u', sessionId: 's' };
    expect(codec.encode(['{"a":1}'], context)[0]).toMatch(/^"~2~a~/);
    // A format-3 envelope of the same key and session, written where sodium-native was installed.
    const format3 = `"~3~a~${formatThreeBody('{"from":"sodium"}')}"`;
    expect(codec.decode([{ seq: 1, createdAt: 0, text: format3 }], context)).toEqual([{ seq: 1, createdAt: 0, text: '{"from":"sodium"}' }]);
  });

  it('binding "sodium-native" refuses to start', () => {
    let error: unknown;
    try {
      encryption({ keys: { a: KEY_A }, currentKeyId: 'a', binding: 'sodium-native' });
    } catch (e) {
      error = e;
    }
    expect(isSessionStoreError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/npm install sodium-native/);
  });
});

/**
 * The body of a format-3 envelope of `plaintext` under KEY_A for user "u", session "s", made
 * independently of the package's AEAD code: its key derivation, node:crypto's ChaCha20-Poly1305.
 */
function formatThreeBody(plaintext: string): string {
  const key = Buffer.from(hkdfSync('sha256', KEY_A, Buffer.from(JSON.stringify(['u', 's'])), `${SCHEME} session key`, 32));
  const nonce = Buffer.alloc(12, 9);
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  cipher.setAAD(associatedData('message', 'u', 's'), { plaintextLength: Buffer.byteLength(plaintext) });
  return Buffer.concat([nonce, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64url');
}
