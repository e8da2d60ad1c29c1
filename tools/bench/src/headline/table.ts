import { fmt } from '../report.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchFigures, BenchRow } from '../suite.js';
import { HEADLINE_COLUMNS } from './columns.js';

/** The headline rows of a run (kind "figures" in the headline scenario), in run order. */
export function headlineRows(rows: BenchRow[]): BenchFigures[] {
  return rows.filter((r): r is BenchFigures => 'kind' in r && r.kind === 'figures' && r.scenario === SCENARIOS.headline);
}

/** ops/s with 3 significant digits for small figures. */
const ops = (n: number): string => fmt(n, n >= 100 ? 0 : n >= 10 ? 1 : 2);

const label = (r: BenchFigures) => (r.role === 'store' ? `**${r.subjectName}**` : r.subjectName);

/** The ops/s table: one row per subject, grouped by backend as measured. */
export function headlineTable(rows: BenchFigures[]): string[] {
  const out = [`| | ${HEADLINE_COLUMNS.join(' | ')} |`, `|---|${HEADLINE_COLUMNS.map(() => '---:').join('|')}|`];
  for (const r of rows) {
    const cells = HEADLINE_COLUMNS.map((c) => {
      const f = r.figures[c];
      return f ? ops(f.median) : r.cannot?.[c] ? 'cannot' : '—';
    });
    out.push(`| ${r.variant}: ${label(r)} | ${cells.join(' | ')} |`);
  }
  return out;
}

/** Each row over its backend's raw floor, column by column (same lineup, so same-run ratios). */
export function floorRatioTable(rows: BenchFigures[]): string[] {
  const floors = new Map(rows.filter((r) => r.role === 'floor').map((r) => [r.variant, r]));
  const out = [`| | ${HEADLINE_COLUMNS.join(' | ')} |`, `|---|${HEADLINE_COLUMNS.map(() => '---:').join('|')}|`];
  for (const r of rows) {
    const floor = floors.get(r.variant);
    if (!floor || r === floor) continue;
    const cells = HEADLINE_COLUMNS.map((c) => {
      const [s, b] = [r.figures[c], floor.figures[c]];
      return s && b ? fmt(s.median / b.median, 2) : r.cannot?.[c] ? 'cannot' : '—';
    });
    out.push(`| ${r.variant}: ${label(r)} ÷ ${floor.subjectName} | ${cells.join(' | ')} |`);
  }
  return out;
}

/** The "cannot" reasons of the headline, one line each. */
export function cannotLines(rows: BenchFigures[]): string[] {
  return rows.flatMap((r) => {
    const reasons = [...new Set(Object.values(r.cannot ?? {}))];
    return reasons.length ? [`- ${r.variant}: ${r.subjectName} cannot: ${reasons.join('; ')}.`] : [];
  });
}

/** What each headline row does per call, folded (the notes of the rows, once each). */
export function perCallDetails(rows: BenchFigures[]): string[] {
  const notes = [...new Set(rows.map((r) => r.note).filter((n): n is string => Boolean(n)))];
  if (notes.length === 0) return [];
  return ['<details><summary>What each row does per call</summary>', '', ...notes.map((n) => `- ${n}`), '', '</details>', ''];
}

/** Lines for headline lineups that failed part-way (their backend's rows are missing). */
export function failureLines(rows: BenchRow[]): string[] {
  return rows.flatMap((r) => ('kind' in r && r.kind === 'gap' && r.scenario === SCENARIOS.headline ? [`- **${r.subjectName} ${r.reason}**: its rows are missing.`] : []));
}

/** The largest spread of any headline figure ((max − min) ÷ median of its runs). */
export function largestSpread(rows: BenchFigures[]): number {
  return Math.max(0, ...rows.flatMap((r) => Object.values(r.figures).map((f) => f.spread)));
}
