import type { BenchGap, BenchRow } from './suite.js';

/**
 * Measures one row, and when the measured code fails (a store giving up under contention,
 * say), returns a row saying so instead of losing the rest of the suite: a failure is a
 * finding the table must show, not a reason to drop the other figures.
 */
export async function attempt(where: Pick<BenchGap, 'scenario' | 'variant' | 'subjectName'>, measure: () => Promise<BenchRow>): Promise<BenchRow> {
  try {
    return await measure();
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { kind: 'gap', ...where, reason: `failed: ${reason}` };
  }
}
