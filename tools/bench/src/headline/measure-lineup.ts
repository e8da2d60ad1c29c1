import { figureOf, lineup, type LineupOptions, type Operation } from '../measure.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchFigures, Figure } from '../suite.js';
import { APPEND_COLUMN, HEADLINE_LENGTHS, readColumn } from './columns.js';
import type { Lineup } from './lineups.js';

/** Sizes of a headline run. */
export interface HeadlineOptions extends LineupOptions {
  /** History lengths of the read columns. @default HEADLINE_LENGTHS */
  lengths?: readonly number[];
}

const toFigure = (runs: number[]): Figure => figureOf(runs);

/**
 * Measures one backend's lineup: append one 1 KB message (awaited, to a session of its own),
 * then the newest 20 of a history of each length, every side in the same interleaved runs
 * (see `lineup`). Returns one row per side (ops/s per column); a side whose `maxLength` is
 * below a length gets a "cannot" cell there instead.
 */
export async function measureLineup(subject: Lineup, options: HeadlineOptions): Promise<BenchFigures[]> {
  const { entries } = subject;
  const figures = entries.map((): Record<string, Figure> => ({}));
  const cannot = entries.map((): Record<string, string> => ({}));
  const record = async (column: string, included: number[], op: (k: number) => Operation) => {
    const measured = await lineup(included.map(op), options);
    measured.forEach((m, j) => {
      const k = included[j];
      if (k !== undefined) figures[k]![column] = toFigure(m.runs);
    });
  };
  const all = entries.map((_, k) => k);
  await record(APPEND_COLUMN, all, (k) => (i) => entries[k]!.side.append('headline-append', i));
  for (const length of options.lengths ?? HEADLINE_LENGTHS) {
    const column = readColumn(length);
    const session = `headline-read-${length}`;
    const able: number[] = [];
    for (const k of all) {
      const { side } = entries[k]!;
      if (side.maxLength && length > side.maxLength.length) {
        cannot[k]![column] = side.maxLength.reason;
        continue;
      }
      await side.fill(session, length);
      able.push(k);
    }
    await record(column, able, (k) => () => entries[k]!.side.readNewest20(session));
  }
  return entries.map((entry, k) => ({
    kind: 'figures',
    scenario: SCENARIOS.headline,
    variant: subject.backend,
    subjectName: entry.side.name,
    role: entry.role,
    figures: figures[k]!,
    ...(Object.keys(cannot[k]!).length ? { cannot: cannot[k]! } : {}),
    ...(entry.side.perCall ? { note: `${entry.side.name}: ${entry.side.perCall}` } : {}),
  }));
}
