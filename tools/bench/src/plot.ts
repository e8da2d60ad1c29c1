import { lengthOfColumn } from './headline/columns.js';
import type { BenchFigures } from './suite.js';

/** One line of the plot: a subject's read cost (µs per call) at each history length. */
export interface PlotSeries {
  /** The panel it is drawn in (the backend), e.g. "postgres". */
  group: string;
  /** Legend text, e.g. "Mastra PostgresStore 1.27". */
  label: string;
  role: BenchFigures['role'];
  points: { length: number; micros: number }[];
}

/** The read columns of headline rows as plot series: µs per read = 1e6 ÷ ops/s. */
export function readCostSeries(rows: BenchFigures[]): PlotSeries[] {
  return rows.map((row) => ({
    group: row.variant,
    label: row.subjectName,
    role: row.role,
    points: Object.entries(row.figures)
      .flatMap(([column, figure]) => {
        const length = lengthOfColumn(column);
        return length === undefined || !(figure.median > 0) ? [] : [{ length, micros: 1e6 / figure.median }];
      })
      .sort((a, b) => a.length - b.length),
  })).filter((s) => s.points.length > 0);
}

/** Colours that stay apart on white, cycled over a panel's series. */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

/** Dash pattern by role: our stores solid, peers dashed, raw floors dotted. */
const DASH: Record<string, string> = { store: '', peer: '7 4', floor: '2 3' };

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Powers of ten from ≤ min to ≥ max. */
function decades(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
  return out;
}

const tickLabel = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const microsLabel = (us: number) => (us >= 1e6 ? `${us / 1e6} s` : us >= 1e3 ? `${us / 1e3} ms` : `${us} µs`);

/** One panel's geometry: where its plot area sits in the picture. */
interface Panel {
  left: number;
  top: number;
}

const PANEL = { width: 330, height: 230, columns: 3, legendLine: 16, gap: 24, marginLeft: 70, marginTop: 44 };

/**
 * Log-log line plots (SVG, no dependency) of read cost against history length, one panel per
 * group (backend) on shared axes so panels compare: our stores solid, peers dashed, raw drivers
 * dotted, each panel's legend under it.
 */
export function readCostSvg(series: PlotSeries[], title: string): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="80"><text x="10" y="40" font-family="sans-serif" font-size="14">${escape(title)}: no read figures in this run</text></svg>\n`;
  }
  const groups = [...new Set(series.map((s) => s.group))];
  const xs = decades(Math.min(...all.map((p) => p.length)), Math.max(...all.map((p) => p.length)));
  const ys = decades(Math.min(...all.map((p) => p.micros)), Math.max(...all.map((p) => p.micros)));
  const lx = (v: number) => Math.log10(v);
  const [x0, x1] = [lx(xs[0] ?? 1), lx(xs.at(-1) ?? 10)];
  const [y0, y1] = [lx(ys[0] ?? 1), lx(ys.at(-1) ?? 10)];
  const f = (n: number) => n.toFixed(1);
  const legendRows = Math.max(...groups.map((g) => series.filter((s) => s.group === g).length));
  const cellWidth = PANEL.marginLeft + PANEL.width + PANEL.gap;
  const cellHeight = PANEL.marginTop + PANEL.height + 30 + legendRows * PANEL.legendLine + PANEL.gap;
  const columns = Math.min(PANEL.columns, groups.length);
  const width = columns * cellWidth;
  const height = 30 + Math.ceil(groups.length / columns) * cellHeight;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${PANEL.marginLeft}" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`,
  ];
  groups.forEach((group, g) => {
    const panel: Panel = { left: (g % columns) * cellWidth + PANEL.marginLeft, top: 30 + Math.floor(g / columns) * cellHeight + PANEL.marginTop };
    const px = (length: number) => panel.left + ((lx(length) - x0) / (x1 - x0 || 1)) * PANEL.width;
    const py = (micros: number) => panel.top + PANEL.height - ((lx(micros) - y0) / (y1 - y0 || 1)) * PANEL.height;
    const bottom = panel.top + PANEL.height;
    out.push(`<text x="${panel.left}" y="${panel.top - 8}" font-size="13" font-weight="bold">${escape(group)}</text>`);
    for (const x of xs) out.push(`<line x1="${f(px(x))}" y1="${panel.top}" x2="${f(px(x))}" y2="${bottom}" stroke="#ddd"/>`, `<text x="${f(px(x))}" y="${bottom + 14}" text-anchor="middle">${tickLabel(x)}</text>`);
    for (const y of ys) out.push(`<line x1="${panel.left}" y1="${f(py(y))}" x2="${panel.left + PANEL.width}" y2="${f(py(y))}" stroke="#ddd"/>`, `<text x="${panel.left - 5}" y="${f(py(y) + 4)}" text-anchor="end">${microsLabel(y)}</text>`);
    out.push(
      `<rect x="${panel.left}" y="${panel.top}" width="${PANEL.width}" height="${PANEL.height}" fill="none" stroke="#333"/>`,
      `<text x="${panel.left + PANEL.width / 2}" y="${bottom + 28}" text-anchor="middle">messages in the session</text>`,
    );
    series
      .filter((s) => s.group === group)
      .forEach((s, k) => {
        const colour = PALETTE[k % PALETTE.length] ?? '#000';
        const dash = DASH[s.role ?? 'store'] ?? '';
        const strokeWidth = s.role === 'store' ? 2.5 : 1.6;
        const style = `stroke="${colour}" stroke-width="${strokeWidth}"${dash ? ` stroke-dasharray="${dash}"` : ''}`;
        const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${f(px(p.length))} ${f(py(p.micros))}`).join(' ');
        out.push(`<path d="${d}" fill="none" ${style}/>`);
        for (const p of s.points) out.push(`<circle cx="${f(px(p.length))}" cy="${f(py(p.micros))}" r="3" fill="${colour}"/>`);
        const ly = bottom + 44 + k * PANEL.legendLine;
        out.push(`<line x1="${panel.left}" y1="${ly}" x2="${panel.left + 26}" y2="${ly}" ${style}/>`, `<text x="${panel.left + 32}" y="${ly + 4}">${escape(s.label)}</text>`);
      });
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
