import { MemoryBacking } from '@sessions/core';
import { describeConformance } from '../../src/index.js';
import { BROKEN_STORES } from './broken-stores.js';

/** How many suite files share the broken stores: they run in parallel (mostly waiting on TTLs). */
export const MUTANT_SHARDS = 3;

/**
 * Registers the suite over every `shard`-th broken store. Run by test/mutation.test.ts in a
 * child vitest process, through the `mutants-<n>.suite.ts` files.
 */
export function describeMutants(shard: number): void {
  Object.entries(BROKEN_STORES)
    .filter((_, i) => i % MUTANT_SHARDS === shard)
    .forEach(([name, Store]) => {
      const backings = new Map<string, MemoryBacking>();
      describeConformance({
        name,
        factory: {
          create: async (namespace, options) => {
            let backing = backings.get(namespace);
            if (!backing) backings.set(namespace, (backing = new MemoryBacking()));
            return new Store({ ...options, backing });
          },
        },
        capabilities: { modelRuns: 10 },
      });
    });
}
