import { lengthOfColumn } from './headline/columns.js';
import type { BenchFigures } from './suite.js';

/** One line of the plot: a subject's read cost (µs per call) at each history length. */
export interface PlotSeries {
  /** Legend text, e.g. "postgres · Mastra PostgresStore 1.27". */
  label: string;
  role: BenchFigures['role'];
  points: { length: number; micros: number }[];
}

/** The read columns of headline rows as plot series: µs per read = 1e6 ÷ ops/s. */
export function readCostSeries(rows: BenchFigures[]): PlotSeries[] {
  return rows.map((row) => ({
    label: `${row.variant} · ${row.subjectName}`,
    role: row.role,
    points: Object.entries(row.figures)
      .flatMap(([column, figure]) => {
        const length = lengthOfColumn(column);
        return length === undefined || !(figure.median > 0) ? [] : [{ length, micros: 1e6 / figure.median }];
      })
      .sort((a, b) => a.length - b.length),
  })).filter((s) => s.points.length > 0);
}

/** Colours that stay apart on white, cycled over the series. */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#393b79', '#843c39', '#637939', '#7b4173', '#3182bd', '#e6550d'];

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

/**
 * A log-log line plot (SVG, no dependency) of read cost against history length: one line per
 * series, our stores solid, peers dashed, raw drivers dotted, legend on the right.
 */
export function readCostSvg(series: PlotSeries[], title: string): string {
  const legendWidth = 430;
  const plot = { left: 70, top: 40, width: 520, height: 400 };
  const width = plot.left + plot.width + 30 + legendWidth;
  const height = Math.max(plot.top + plot.height + 60, plot.top + series.length * 18 + 20);
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="80"><text x="10" y="40" font-family="sans-serif" font-size="14">${escape(title)}: no read figures in this run</text></svg>\n`;
  }
  const xs = decades(Math.min(...all.map((p) => p.length)), Math.max(...all.map((p) => p.length)));
  const ys = decades(Math.min(...all.map((p) => p.micros)), Math.max(...all.map((p) => p.micros)));
  const lx = (v: number) => Math.log10(v);
  const [x0, x1] = [lx(xs[0] ?? 1), lx(xs.at(-1) ?? 10)];
  const [y0, y1] = [lx(ys[0] ?? 1), lx(ys.at(-1) ?? 10)];
  const px = (length: number) => plot.left + ((lx(length) - x0) / (x1 - x0 || 1)) * plot.width;
  const py = (micros: number) => plot.top + plot.height - ((lx(micros) - y0) / (y1 - y0 || 1)) * plot.height;
  const f = (n: number) => n.toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${plot.left}" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`,
  ];
  for (const x of xs) out.push(`<line x1="${f(px(x))}" y1="${plot.top}" x2="${f(px(x))}" y2="${plot.top + plot.height}" stroke="#ddd"/>`, `<text x="${f(px(x))}" y="${plot.top + plot.height + 18}" text-anchor="middle">${tickLabel(x)}</text>`);
  for (const y of ys) out.push(`<line x1="${plot.left}" y1="${f(py(y))}" x2="${plot.left + plot.width}" y2="${f(py(y))}" stroke="#ddd"/>`, `<text x="${plot.left - 6}" y="${f(py(y) + 4)}" text-anchor="end">${microsLabel(y)}</text>`);
  out.push(
    `<rect x="${plot.left}" y="${plot.top}" width="${plot.width}" height="${plot.height}" fill="none" stroke="#333"/>`,
    `<text x="${plot.left + plot.width / 2}" y="${plot.top + plot.height + 40}" text-anchor="middle">messages in the session (log scale)</text>`,
    `<text transform="translate(16 ${plot.top + plot.height / 2}) rotate(-90)" text-anchor="middle">time per read of the newest 20 (log scale, lower is better)</text>`,
  );
  series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length] ?? '#000';
    const dash = DASH[s.role ?? 'store'] ?? '';
    const strokeWidth = s.role === 'store' ? 2.5 : 1.6;
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${f(px(p.length))} ${f(py(p.micros))}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="${strokeWidth}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    for (const p of s.points) out.push(`<circle cx="${f(px(p.length))}" cy="${f(py(p.micros))}" r="3" fill="${colour}"/>`);
    const ly = plot.top + 6 + k * 18;
    const lx0 = plot.left + plot.width + 30;
    out.push(
      `<line x1="${lx0}" y1="${ly}" x2="${lx0 + 28}" y2="${ly}" stroke="${colour}" stroke-width="${strokeWidth}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`,
      `<text x="${lx0 + 36}" y="${ly + 4}">${escape(s.label)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
