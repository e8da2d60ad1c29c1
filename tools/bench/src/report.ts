import type { BenchResult } from './suite.js';

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Renders results as Markdown: one table per scenario, in the order first seen. */
export function toMarkdown(results: BenchResult[]): string {
  const scenarios = new Map<string, BenchResult[]>();
  for (const r of results) scenarios.set(r.scenario, [...(scenarios.get(r.scenario) ?? []), r]);
  const out: string[] = [];
  for (const [scenario, rows] of scenarios) {
    out.push(`### ${scenario}`, '');
    out.push('| variant | subject | ops/s (spread) | baseline | ops/s (spread) | ratio | aim |');
    out.push('|---|---|---:|---|---:|---:|---:|');
    for (const r of rows) {
      const ok = r.aim === undefined ? '' : r.ratio >= r.aim ? ' ✓' : ' ✗';
      out.push(
        `| ${r.variant} | ${r.subjectName} | ${fmt(r.subject.opsPerSec)} (±${fmt(r.subject.spread * 50)}%) | ${r.baselineName} | ${fmt(r.baseline.opsPerSec)} (±${fmt(r.baseline.spread * 50)}%) | ${fmt(r.ratio, 2)}${ok} | ${r.aim === undefined ? '' : `≥ ${fmt(r.aim, 2)}`} |`,
      );
    }
    const notes = [...new Set(rows.map((r) => r.note).filter(Boolean))];
    if (notes.length) out.push('', ...notes.map((n) => `- ${n}`));
    out.push('');
  }
  return out.join('\n');
}
