import { describe, expect, it } from 'vitest';
import { measureExportHeap } from './export-heap.js';

describe('export memory', () => {
  it('exports 1,000,000 messages with the heap bounded by the page size, not the data', { timeout: 120_000 }, async () => {
    const result = await measureExportHeap(1_000_000);
    expect(result.exportedBytes).toBeGreaterThan(100 * 2 ** 20);
    // Pages are 1000 messages (~120 KiB of text); the rest is young-generation garbage.
    // Buffering the export would grow the heap by more than the 100+ MiB exported.
    expect(result.peakGrowth).toBeLessThan(48 * 2 ** 20);
  });
});
