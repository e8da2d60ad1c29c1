import { isSessionStoreError } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { generateMasterKey, Keyring } from '../src/index.js';
import { KEY_A, KEY_B } from './fixtures.js';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('Keyring', () => {
  it('accepts keys as bytes, base64 and base64url', () => {
    const key = Buffer.alloc(32, 0xfb);
    const ring = new Keyring({
      keys: { raw: key, b64: key.toString('base64'), url: key.toString('base64url'), gen: generateMasterKey() },
      currentKeyId: 'b64',
    });
    expect(ring.get('raw')).toEqual(key);
    expect(ring.get('b64')).toEqual(key);
    expect(ring.get('url')).toEqual(key);
    expect(ring.get('gen')).toHaveLength(32);
    expect(ring.currentKeyId).toBe('b64');
    expect(ring.ids().sort()).toEqual(['b64', 'gen', 'raw', 'url']);
  });

  it('rejects a key of the wrong length at construction, naming the key but not showing it', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    const error = errorOf(() => new Keyring({ keys: { old: short }, currentKeyId: 'old' }));
    expect(isSessionStoreError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(error.message).toContain('"old" is 16 bytes');
    expect(error.message).toContain('32');
    expect(error.message).not.toContain(short);
    expect(() => new Keyring({ keys: { k: Buffer.alloc(33) }, currentKeyId: 'k' })).toThrow(/33 bytes/);
  });

  it('rejects text that is not base64, a missing current key, an empty keyring and bad ids', () => {
    expect(() => new Keyring({ keys: { k: 'not base64 at all!' }, currentKeyId: 'k' })).toThrow(/not base64/);
    expect(() => new Keyring({ keys: { a: KEY_A }, currentKeyId: 'b' })).toThrow(/currentKeyId "b"/);
    expect(() => new Keyring({ keys: {}, currentKeyId: 'a' })).toThrow(/no keys/);
    expect(() => new Keyring({ keys: { 'bad id': KEY_A }, currentKeyId: 'bad id' })).toThrow(/key id/);
    expect(() => new Keyring({ keys: { a: 42 as unknown as string }, currentKeyId: 'a' })).toThrow(/Uint8Array/);
  });

  it('keeps its own copy of the key bytes', () => {
    const key = Buffer.from(KEY_B);
    const ring = new Keyring({ keys: { b: key }, currentKeyId: 'b' });
    key.fill(0);
    expect(ring.get('b')).toEqual(KEY_B);
  });
});
