import { KeySpace, decodeSessionId, decodeUserId, encodeSessionId, encodeUserId } from '@sessions/redis';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const HOSTILE = ['{', '}', ':', '*', '?', '[', ']', '\\', ' ', '\n'];

describe('key layout', () => {
  it('round-trips any id through its encoding', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), (id) => {
        expect(decodeSessionId(encodeSessionId(id))).toBe(id);
        expect(decodeUserId(encodeUserId(id))).toBe(id);
      }),
    );
  });

  it('encodes session ids so that byte order is JavaScript string order (the listing tie-break)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }), (a, b) => {
        const bytes = Buffer.compare(Buffer.from(encodeSessionId(a)), Buffer.from(encodeSessionId(b)));
        return Math.sign(bytes) === (a < b ? -1 : a > b ? 1 : 0);
      }),
      { numRuns: 300 },
    );
    // Above the BMP, UTF-16 order differs from code point order: the encoding follows UTF-16.
    expect(encodeSessionId('\u{1F600}') < encodeSessionId('\uFFFF')).toBe('\u{1F600}' < '\uFFFF');
  });

  it('keeps every hostile character of an id out of the keys, and the hash tag is the user alone', () => {
    const keys = new KeySpace('app:');
    for (const char of HOSTILE) {
      const user = `u${char}}{x`;
      const k = keys.session(user, `s${char}*`);
      for (const key of [k.record, k.messages, k.idempotency, k.index]) {
        const tagged = key.slice('app:'.length);
        expect(tagged.startsWith(`{${encodeUserId(user)}}:`), key).toBe(true);
        expect(tagged.slice(tagged.indexOf('}') + 1), key).toMatch(/^:[smki](:[0-9a-f]+)?$/);
      }
    }
  });

  it('gives two users distinct tags even when one id is a prefix of the other', () => {
    const keys = new KeySpace('p:');
    expect(keys.index('a')).not.toBe(keys.index('a}'));
    expect(keys.session('a', 'b:c').record).not.toBe(keys.session('a:b', 'c').record);
    expect(keys.userBase('ab').startsWith(keys.userBase('a'))).toBe(false);
  });

  it('escapes glob characters of the prefix in the index pattern and reads the user back from an index key', () => {
    const keys = new KeySpace('t*[x]?:');
    expect(keys.indexPattern()).toBe('t\\*\\[x\\]\\?:{*}:i');
    expect(keys.userOfIndexKey(keys.index('alice {1}'))).toBe('alice {1}');
    expect(keys.userOfIndexKey('t*[x]?:{not base64!}:i')).toBeNull();
    expect(keys.userOfIndexKey('other:{YQ}:i')).toBeNull();
  });
  it('remembers the keys of recent sessions, and gives the right keys past what it remembers', () => {
    const keys = new KeySpace('p:');
    const first = keys.session('u', 's');
    expect(keys.session('u', 's')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first.list).toEqual([first.record, first.messages, first.idempotency, first.index]);
    // Ids that would collide if the pair were joined with a separator stay apart.
    expect(keys.session('a\u0000b', 'c').record).not.toBe(keys.session('a', 'b\u0000c').record);
    for (let i = 0; i < 10_000; i++) {
      const k = keys.session(`user-${i % 7}`, `session-${i}`);
      expect(k.record).toBe(`p:{${encodeUserId(`user-${i % 7}`)}}:s:${encodeSessionId(`session-${i}`)}`);
    }
    expect(keys.session('u', 's')).toEqual(first);
    expect(keys.channel('u', 's')).toBe(`p:{${encodeUserId('u')}}:w:${encodeSessionId('s')}`);
  });
});
