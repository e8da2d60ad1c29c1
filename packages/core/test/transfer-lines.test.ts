import { describe, expect, it } from 'vitest';
import { splitLines } from '../src/transfer/lines.js';

/**
 * Characters searched for line breaks while splitting one line of `mb` MiB given in 64 KiB
 * chunks: the work the splitter does, counted rather than timed, so the check cannot flake on
 * a busy machine. Only searches over long strings (the chunks and any buffer built from them)
 * are counted, which leaves out the test runner's own small ones.
 */
async function searchedChars(mb: number): Promise<number> {
  const chunk = 'x'.repeat(64 * 1024);
  const chunks = (mb * 1024 * 1024) / chunk.length;
  const source = function* () {
    for (let i = 0; i < chunks; i++) yield chunk;
    yield '\n';
  };
  const indexOf = String.prototype.indexOf;
  let searched = 0;
  String.prototype.indexOf = function (this: string, search: string, position?: number) {
    if (this.length >= chunk.length) searched += this.length - Math.max(0, position ?? 0);
    return indexOf.call(this, search, position);
  };
  let length = 0;
  try {
    for await (const line of splitLines(source())) length += line.text.length;
  } finally {
    String.prototype.indexOf = indexOf;
  }
  expect(length).toBe(mb * 1024 * 1024);
  return searched;
}

describe('splitLines', () => {
  it('is linear on one long line: 4x the input is 4x the work, not 16x', { timeout: 60_000 }, async () => {
    const small = await searchedChars(8);
    const large = await searchedChars(32);
    // Each character is searched once. The quadratic splitter searched its whole buffer again
    // for every chunk: 8 MB took 0.5 s, 32 MB 10 s, a work ratio of 16 here.
    expect(small).toBeLessThanOrEqual(2 * 8 * 1024 * 1024);
    expect(large / small).toBeLessThan(5);
  });

  it('keeps line numbers, skips blank lines, strips \\r\\n, and yields a last line without a break', async () => {
    const lines = [];
    for await (const line of splitLines(['a\r', '\n\n  \nb', 'c\r\nd'])) lines.push(line);
    expect(lines).toEqual([
      { text: 'a', number: 1 },
      { text: 'bc', number: 4 },
      { text: 'd', number: 5 },
    ]);
  });

  it('joins bytes split inside a multi-byte character', async () => {
    const bytes = Buffer.from('é🚀\nü', 'utf8');
    const lines = [];
    for await (const line of splitLines(Array.from(bytes, (b) => Uint8Array.of(b)))) lines.push(line.text);
    expect(lines).toEqual(['é🚀', 'ü']);
  });
});
