import { defineConfig } from 'vitest/config';

// The broken-store suites, run only by test/mutation.test.ts in a child process. Three files
// (one shard of the broken stores each) run at once: most of their time is spent waiting for TTLs.
export default defineConfig({
  root: `${import.meta.dirname}/../..`,
  resolve: { conditions: ['@sessions/source'] },
  ssr: { resolve: { conditions: ['@sessions/source'] } },
  test: {
    name: 'conformance-mutants',
    include: ['test/mutants/mutants-*.suite.ts'],
    environment: 'node',
    testTimeout: 30_000,
    maxWorkers: 3,
  },
});
