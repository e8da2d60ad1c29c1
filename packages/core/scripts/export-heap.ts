/**
 * Exports N small messages from an in-memory store and reports how much the heap grew while
 * the export streamed, against the size of what was exported. The export must stay bounded by
 * its page size, not grow with the data.
 *
 *   node --expose-gc --import tsx --conditions=@sessions/source scripts/export-heap.ts 1000000
 */
import { measureExportHeap } from '../test/export-heap.js';

const count = Number(process.argv[2] ?? 1_000_000);
const result = await measureExportHeap(count);
process.stdout.write(
  `${count} messages in ${result.sessions} sessions: ${(result.exportedBytes / 2 ** 20).toFixed(1)} MiB exported in ${(result.ms / 1000).toFixed(1)} s; ` +
    `peak heap growth during export ${(result.peakGrowth / 2 ** 20).toFixed(1)} MiB\n`,
);
