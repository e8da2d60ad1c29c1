import { describe, expect, it } from 'vitest';
import { indexAfter, indexAtOrAfter, selectRange } from '../src/memory/seq-range.js';

const entries = [1, 2, 4, 7, 8].map((seq) => ({ seq }));
const seqs = (range: [number, number]) => entries.slice(range[0], range[1]).map((e) => e.seq);

describe('seq-range', () => {
  it('finds positions by binary search, with gaps', () => {
    expect(indexAfter(entries, 0)).toBe(0);
    expect(indexAfter(entries, 4)).toBe(3);
    expect(indexAfter(entries, 5)).toBe(3);
    expect(indexAfter(entries, 8)).toBe(5);
    expect(indexAtOrAfter(entries, 4)).toBe(2);
    expect(indexAtOrAfter(entries, 9)).toBe(5);
    expect(indexAfter([], 3)).toBe(0);
  });

  it('selects exclusive bounds and counts limit from the chosen end', () => {
    expect(seqs(selectRange(entries, { from: 'end' }))).toEqual([1, 2, 4, 7, 8]);
    expect(seqs(selectRange(entries, { afterSeq: 2, beforeSeq: 8, from: 'end' }))).toEqual([4, 7]);
    expect(seqs(selectRange(entries, { limit: 2, from: 'end' }))).toEqual([7, 8]);
    expect(seqs(selectRange(entries, { limit: 2, from: 'start' }))).toEqual([1, 2]);
    expect(seqs(selectRange(entries, { afterSeq: 1, limit: 2, from: 'start' }))).toEqual([2, 4]);
    expect(seqs(selectRange(entries, { beforeSeq: 7, limit: 2, from: 'end' }))).toEqual([2, 4]);
    expect(seqs(selectRange(entries, { afterSeq: 7, beforeSeq: 3, from: 'end' }))).toEqual([]);
    expect(seqs(selectRange(entries, { limit: 0, from: 'end' }))).toEqual([]);
  });
});
