import { isSessionStoreError } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { fingerprintKeyId, generateMasterKey, Keyring, parseKeyList } from '../src/index.js';
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
  it('accepts keys as bytes, base64, base64url and hex', () => {
    const ring = new Keyring({
      keys: { raw: KEY_A, b64: KEY_A.toString('base64'), url: KEY_A.toString('base64url'), hex: KEY_A.toString('hex'), gen: generateMasterKey() },
      currentKeyId: 'b64',
    });
    for (const id of ['raw', 'b64', 'url', 'hex']) expect(ring.get(id)).toEqual(KEY_A);
    expect(ring.get('gen')).toHaveLength(32);
    expect(ring.currentKeyId).toBe('b64');
    expect(ring.hmacKeyId).toBe('raw');
    expect(ring.ids()).toEqual(['raw', 'b64', 'url', 'hex', 'gen']);
  });

  it('rejects a key of the wrong length, naming the key but not showing it, and says how to make one', () => {
    const short = KEY_A.subarray(0, 16).toString('base64');
    const error = errorOf(() => new Keyring({ keys: { old: short }, currentKeyId: 'old' }));
    expect(isSessionStoreError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(error.message).toContain('"old" is 16 bytes');
    expect(error.message).toContain('openssl rand -base64 32');
    expect(error.message).not.toContain(short);
    expect(() => new Keyring({ keys: { k: Buffer.concat([KEY_A, KEY_B.subarray(0, 1)]) }, currentKeyId: 'k' })).toThrow(/33 bytes/);
  });

  it('rejects passphrases, encoded or not: printable ASCII bytes, repeated bytes, typed text', () => {
    const cases: [string, string | Uint8Array][] = [
      ['ascii bytes', Buffer.from('correct horse battery staple 123')],
      ['base64 of a passphrase', Buffer.from('correct horse battery staple 123').toString('base64')],
      ['hex of a passphrase', Buffer.from('correct horse battery staple 123').toString('hex')],
      ['repeated byte', Buffer.alloc(32, 0xa1)],
      ['two bytes', Buffer.from(Array.from({ length: 32 }, (_, i) => (i % 2 ? 0x01 : 0xfe)))],
      ['43 lower-case letters', 'correcthorsebatterystaplecorrecthorsebattew='],
    ];
    for (const [name, key] of cases) {
      const error = errorOf(() => new Keyring({ keys: { k: key }, currentKeyId: 'k' }));
      expect(error.message, name).toMatch(/looks like a passphrase/);
      expect(error.message, name).toContain('openssl rand -base64 32');
    }
    // 1,000 generated keys all pass.
    for (let i = 0; i < 1000; i++) new Keyring({ keys: { k: generateMasterKey() }, currentKeyId: 'k' });
  });

  it('rejects text that is not canonical base64 or hex, a missing current key, an empty keyring and bad ids', () => {
    expect(() => new Keyring({ keys: { k: 'not base64 at all!' }, currentKeyId: 'k' })).toThrow(/neither base64 nor hex/);
    expect(() => new Keyring({ keys: { k: KEY_A.toString('base64').slice(0, 20) + '$$' + KEY_A.toString('base64').slice(22) }, currentKeyId: 'k' })).toThrow(/neither base64 nor hex/);
    expect(() => new Keyring({ keys: { a: KEY_A }, currentKeyId: 'b' })).toThrow(/currentKeyId "b"/);
    expect(() => new Keyring({ keys: {}, currentKeyId: 'a' })).toThrow(/no keys/);
    expect(() => new Keyring({ keys: { 'bad id': KEY_A }, currentKeyId: 'bad id' })).toThrow(/key id/);
    expect(() => new Keyring({ keys: { 'a~b': KEY_A }, currentKeyId: 'a~b' })).toThrow(/key id/);
    expect(() => new Keyring({ keys: { a: 42 as unknown as string }, currentKeyId: 'a' })).toThrow(/Uint8Array/);
  });

  it('keeps its own copy of the key bytes', () => {
    const key = Buffer.from(KEY_B);
    const ring = new Keyring({ keys: { b: key }, currentKeyId: 'b' });
    key.fill(0);
    expect(ring.get('b')).toEqual(KEY_B);
  });

  it('finds a key by its fingerprint id, the id a bare key writes under', () => {
    const ring = new Keyring({ keys: { '2026-01': KEY_A.toString('base64') }, currentKeyId: '2026-01' });
    expect(ring.get(fingerprintKeyId(KEY_A))).toEqual(KEY_A);
    expect(ring.get(fingerprintKeyId(KEY_B))).toBeUndefined();
  });
});

describe('parseKeyList', () => {
  it('reads a bare key or id:key pairs, current first, the oldest hashing idempotency keys', () => {
    const a = KEY_A.toString('base64');
    const b = KEY_B.toString('base64');
    expect(parseKeyList(a)).toEqual({ keys: { [fingerprintKeyId(KEY_A)]: a }, currentKeyId: fingerprintKeyId(KEY_A), hmacKeyId: fingerprintKeyId(KEY_A) });
    // Integer-like ids keep the order of the text.
    expect(parseKeyList(`2027:${b}, 2026:${a}`)).toMatchObject({ currentKeyId: '2027', hmacKeyId: '2026' });
    expect(() => parseKeyList(' , ')).toThrow(/empty/);
    expect(() => parseKeyList(`x:${a},x:${b}`)).toThrow(/twice/);
  });
});
