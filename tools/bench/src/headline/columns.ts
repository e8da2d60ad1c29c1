/** History lengths of the headline's read columns. */
export const HEADLINE_LENGTHS = [10, 1_000, 10_000] as const;

/** The headline's append column. */
export const APPEND_COLUMN = 'append 1';

/** The read column of a history length ("last 20 of 1,000"). */
export const readColumn = (length: number): string => `last 20 of ${length.toLocaleString('en-US')}`;

/** Every headline column, in table order. */
export const HEADLINE_COLUMNS: string[] = [APPEND_COLUMN, ...HEADLINE_LENGTHS.map(readColumn)];

/** The history length of a read column, or undefined for another column. */
export function lengthOfColumn(column: string): number | undefined {
  const match = /^last 20 of ([\d,]+)$/.exec(column);
  return match?.[1] ? Number(match[1].replace(/,/g, '')) : undefined;
}
