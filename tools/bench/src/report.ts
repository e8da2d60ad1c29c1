import { scenarioRank } from './scenarios.js';
import { isComparison, type BenchFigures, type BenchGap, type BenchResult, type BenchRow, type Figure } from './suite.js';

/** A number with thousands separators and a fixed number of decimals. */
export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Significant enough digits for a throughput or a size: 3 for small numbers, none for large. */
const fmtAuto = (n: number): string => fmt(n, Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2);

/** Half the spread as a percentage: the runs lie within ± this of the median (roughly). */
const pm = (spread: number): string => `±${fmt(spread * 50)}%`;

const BACKEND_ORDER = ['memory', 'redis', 'postgres', 'dynamo', 'sqlite'];

/** Where a row goes within its table: by backend (the first one its variant names), then raw floors before peers before "cannot" rows. */
function rowRank(row: BenchRow): [number, number] {
  const words = row.variant.toLowerCase().split(/[^a-z]+/);
  const backend = BACKEND_ORDER.findIndex((b) => words.includes(b));
  const kind = 'kind' in row ? (row.kind === 'gap' ? 2 : 0) : /^(LangChain|Mastra)/.test(row.baselineName) ? 1 : 0;
  return [backend === -1 ? BACKEND_ORDER.length : backend, kind];
}

/** Rows grouped by scenario, scenarios in the order of `SCENARIOS`; within one, rows by backend, floors first (stable otherwise). */
export function groupByScenario(rows: BenchRow[]): [string, BenchRow[]][] {
  const groups = new Map<string, BenchRow[]>();
  for (const r of rows) groups.set(r.scenario, [...(groups.get(r.scenario) ?? []), r]);
  const byRank = (a: BenchRow, b: BenchRow) => {
    const [ra, rb] = [rowRank(a), rowRank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1];
  };
  return [...groups].sort(([a], [b]) => scenarioRank(a) - scenarioRank(b)).map(([name, group]) => [name, [...group].sort(byRank)]);
}

/** A gap row's cell: a failure as it is, anything else as what the subject cannot do. */
const gapText = (g: BenchGap): string => (g.reason.startsWith('failed') ? g.reason : `cannot: ${g.reason}`);

function comparisonTable(rows: BenchResult[], gaps: BenchGap[]): string[] {
  const out = [
    '| variant | subject | ops/s (spread) | baseline | ops/s (spread) | ratio | aim |',
    '|---|---|---:|---|---:|---:|---:|',
  ];
  for (const r of rows) {
    const ok = r.aim === undefined ? '' : r.ratio >= r.aim ? ' ✓' : ' ✗';
    out.push(
      `| ${r.variant} | ${r.subjectName} | ${fmtAuto(r.subject.opsPerSec)} (${pm(r.subject.spread)}) | ${r.baselineName} | ${fmtAuto(r.baseline.opsPerSec)} (${pm(r.baseline.spread)}) | ${fmt(r.ratio, 2)}${ok} | ${r.aim === undefined ? '' : `≥ ${fmt(r.aim, 2)}`} |`,
    );
  }
  for (const g of gaps) out.push(`| ${g.variant} | — | — | ${g.subjectName} | ${gapText(g)} | — | |`);
  return out;
}

const cell = (f: Figure | undefined): string => (f ? `${fmtAuto(f.median)} (${pm(f.spread)})` : '—');

function figuresTable(rows: BenchFigures[], gaps: BenchGap[]): string[] {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r.figures)))];
  const out = [`| variant | subject | ${columns.join(' | ')} |`, `|---|---|${columns.map(() => '---:').join('|')}|`];
  for (const r of rows) out.push(`| ${r.variant} | ${r.subjectName} | ${columns.map((c) => cell(r.figures[c])).join(' | ')} |`);
  for (const g of gaps) out.push(`| ${g.variant} | ${g.subjectName} | ${gapText(g)} |${columns.slice(1).map(() => ' |').join('')}`);
  return out;
}

/** One sentence on how a scenario's comparisons went against their aims, or '' when none has an aim. */
export function aimSummary(rows: BenchRow[]): string {
  const aimed = rows.filter(isComparison).flatMap((r) => (r.aim === undefined ? [] : [{ ...r, aim: r.aim }]));
  if (aimed.length === 0) return '';
  const missed = aimed.filter((r) => r.ratio < r.aim);
  const [first, ...others] = missed;
  if (!first) return `Every aim met (${aimed.length} of ${aimed.length} rows).`;
  const worst = others.reduce((a, b) => (b.ratio / b.aim < a.ratio / a.aim ? b : a), first);
  return `Aim met in ${aimed.length - missed.length} of ${aimed.length} rows; furthest miss: ${worst.subjectName} vs ${worst.baselineName} (${worst.variant}) at ${fmt(worst.ratio, 2)} for an aim of ${fmt(worst.aim, 2)}.`;
}

/**
 * Renders rows as Markdown: per scenario a heading, a table (ratios, or absolute figures for
 * rows of kind "figures"), the peers that cannot do it, a line on the aims, the notes, and the
 * scenario's reading when `readings` has one.
 */
export function toMarkdown(rows: BenchRow[], readings: Record<string, string> = {}): string {
  const out: string[] = [];
  for (const [scenario, group] of groupByScenario(rows)) {
    const comparisons = group.filter(isComparison);
    const figures = group.filter((r): r is BenchFigures => 'kind' in r && r.kind === 'figures');
    const gaps = group.filter((r): r is BenchGap => 'kind' in r && r.kind === 'gap');
    out.push(`### ${scenario}`, '');
    if (comparisons.length || !figures.length) out.push(...comparisonTable(comparisons, figures.length ? [] : gaps), '');
    if (figures.length) out.push(...figuresTable(figures, gaps), '');
    const summary = aimSummary(group);
    if (summary) out.push(summary, '');
    const notes = [...new Set(group.map((r) => r.note).filter((n): n is string => Boolean(n)))];
    if (notes.length) out.push(...notes.map((n) => `- ${n}`), '');
    if (readings[scenario]) out.push(`**Reading.** ${readings[scenario]}`, '');
  }
  return out.join('\n');
}
