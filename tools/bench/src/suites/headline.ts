import { availableBackends } from '../backends.js';
import { measureLineup, type HeadlineOptions } from '../headline/measure-lineup.js';
import { openLineup } from '../headline/lineups.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchRow, BenchSuite } from '../suite.js';

/**
 * The headline table and plot: on each backend, the raw driver, every peer library with a
 * store for it (LangChain, Mastra) and our store, measured in one lineup (interleaved runs,
 * op counts calibrated per side): append one message, and the newest 20 of a history of
 * 10, 1,000 and 10,000 messages. Absolute ops/s; the document also shows each row over the
 * backend's raw floor.
 */
const suite: BenchSuite = {
  name: 'headline',
  needs: ['redis', 'postgres', 'dynamo'],
  async run(context: BenchContext): Promise<BenchRow[]> {
    // A run lasts ~1 s per side (median of 3, like the figures in issue 18); --quick keeps the
    // lengths (the plot needs them) and shortens the runs.
    const options: HeadlineOptions = context.quick ? { targetMs: 150, runs: 3 } : { targetMs: 1_000, runs: 3 };
    const rows: BenchRow[] = [];
    for (const backend of availableBackends(context)) {
      const lineup = await openLineup(backend, context);
      try {
        process.stdout.write(`headline: ${backend}: ${lineup.entries.map((e) => e.side.name).join(', ')}\n`);
        rows.push(...(await measureLineup(lineup, options)));
      } catch (error) {
        // One backend failing must not cost the others their rows: the table says it failed.
        rows.push({ kind: 'gap', scenario: SCENARIOS.headline, variant: backend, subjectName: `the ${backend} lineup`, reason: `failed: ${error instanceof Error ? error.message : String(error)}` });
      } finally {
        await lineup.dispose();
      }
    }
    return rows;
  },
};

export default suite;
