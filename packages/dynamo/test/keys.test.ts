import { describe, expect, it } from 'vitest';
import { encodeId, idempotencySk, messageSk, messageSkRange, newestFirst, newGeneration, seqOfMessageSk, sessionHeadRange, sessionItemsPrefix, sessionSk, userPk } from '../src/keys.js';

describe('key layout', () => {
  it('never lets an id contain the separator, so no id produces another id\'s key or prefix', () => {
    const ids = ['a', 'a#', 'a#M#x', '#', '%23', 'a%23', '~x', 'a b', 'ü', '😀#😀'];
    const encoded = ids.map(encodeId);
    for (const e of encoded) expect(e).not.toContain('#');
    expect(new Set(encoded).size).toBe(ids.length);
    // A session whose id looks like another session's item prefix stays apart from it.
    expect(sessionSk('a#M#x')).not.toBe(messageSk('a', 'g', 1).slice(0, sessionSk('a#M#x').length));
    expect(messageSk('a#M', 'g', 1).startsWith(sessionItemsPrefix('a'))).toBe(false);
    expect(idempotencySk('s', 'g', 'k#1')).toBe('S#s#I#g#k%231');
  });

  it('hashes long ids so every key stays within DynamoDB\'s limits (PK 2048, SK 1024 bytes)', () => {
    const longest = '😀'.repeat(512); // 2048 bytes of UTF-8
    const pk = userPk(longest);
    const sk = idempotencySk(longest, 'generation12', longest);
    expect(Buffer.byteLength(pk)).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(sk)).toBeLessThanOrEqual(1024);
    expect(encodeId(longest).startsWith('~')).toBe(true);
    expect(encodeId(longest)).not.toBe(encodeId('😀'.repeat(511) + '😁'));
    // A short id can never look like a hashed one.
    expect(encodeId('~' + 'A'.repeat(43))).not.toBe(encodeId(longest));
  });

  it('pads seqs so that string order is numeric order', () => {
    expect(messageSk('s', 'g', 9) < messageSk('s', 'g', 10)).toBe(true);
    expect(messageSk('s', 'g', 2 ** 53 - 1).endsWith('9007199254740991')).toBe(true);
  });

  it('new incarnations key messages newest first, between the session item and its other items', () => {
    const gen = newGeneration();
    expect(newestFirst(gen) && !newestFirst('AAAAAAAAAAAA')).toBe(true);
    expect(messageSk('s', gen, 10) < messageSk('s', gen, 9)).toBe(true);
    for (const seq of [0, 1, 10, 2 ** 53 - 1]) expect(seqOfMessageSk(messageSk('s', gen, seq))).toBe(seq);
    const head = sessionHeadRange('s');
    expect(head.lo).toBe(sessionSk('s'));
    expect(messageSk('s', gen, 1) < head.hi && messageSk('s', gen, 2 ** 53 - 1) > head.lo).toBe(true);
    expect(idempotencySk('s', gen, 'k') > head.hi).toBe(true);
    const range = messageSkRange('s', gen, 3, 7);
    expect([range.lo, range.hi, range.oldestFirstForward]).toEqual([messageSk('s', gen, 7), messageSk('s', gen, 3), false]);
  });
});
