/** Anything with a seq, kept in an array sorted by ascending seq. */
export interface HasSeq {
  readonly seq: number;
}

/** The first index whose seq is greater than `seq` (binary search; `entries.length` when none). */
export function indexAfter(entries: readonly HasSeq[], seq: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entries[mid]!.seq <= seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first index whose seq is at least `seq` (binary search; `entries.length` when none). */
export function indexAtOrAfter(entries: readonly HasSeq[], seq: number): number {
  return indexAfter(entries, seq - 1);
}

/** The bounds of a `getMessages` call after validation. */
export interface SeqRange {
  afterSeq?: number | undefined;
  beforeSeq?: number | undefined;
  limit?: number | undefined;
  from: 'start' | 'end';
}

/**
 * The `[start, end)` index window of `entries` that a `getMessages` range selects:
 * exclusive seq bounds, then `limit` counted from the chosen end. O(log n).
 */
export function selectRange(entries: readonly HasSeq[], range: SeqRange): [number, number] {
  let start = range.afterSeq === undefined ? 0 : indexAfter(entries, range.afterSeq);
  let end = range.beforeSeq === undefined ? entries.length : indexAtOrAfter(entries, range.beforeSeq);
  if (end <= start) return [start, start];
  if (range.limit !== undefined) {
    if (range.from === 'end') start = Math.max(start, end - range.limit);
    else end = Math.min(end, start + range.limit);
  }
  return [start, end];
}
