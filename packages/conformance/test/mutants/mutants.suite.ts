import { MemoryBacking } from '@sessions/core';
import { describeConformance } from '../../src/index.js';
import { BROKEN_STORES } from './broken-stores.js';

// Run by test/mutation.test.ts in a child vitest process, one suite per broken store.
for (const [name, Store] of Object.entries(BROKEN_STORES)) {
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
}
