import { describe, expect, it } from 'vitest';
import { splitLines } from '../src/transfer/lines.js';

/** Time to split one line of `mb` MiB given in 64 KiB chunks (best of three, to shed noise). */
async function splitTime(mb: number): Promise<number> {
  const chunk = 'x'.repeat(64 * 1024);
  const chunks = (mb * 1024 * 1024) / chunk.length;
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const started = process.hrtime.bigint();
    let length = 0;
    const source = function* () {
      for (let i = 0; i < chunks; i++) yield chunk;
      yield '\n';
    };
    for await (const line of splitLines(source())) length += line.text.length;
    expect(length).toBe(mb * 1024 * 1024);
    best = Math.min(best, Number(process.hrtime.bigint() - started));
  }
  return best;
}

describe('splitLines', () => {
  it('is linear on one long line: 4x the input costs about 4x, not 16x', { timeout: 60_000 }, async () => {
    await splitTime(2); // warm up
    const small = await splitTime(8);
    const large = await splitTime(32);
    // Linear: about 4. The quadratic splitter measured 20 (8 MB 0.5 s, 32 MB 10 s). A ratio,
    // not a time: the bound holds on a slow or busy machine.
    expect(large / small).toBeLessThan(10);
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
