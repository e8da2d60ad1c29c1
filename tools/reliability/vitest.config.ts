import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../tools/vitest.shared.js';

// One file at a time: the many-process runs already use every core, and the fault tests
// assert upper bounds on call durations that a starved machine would stretch.
export default defineConfig(
  sharedTestConfig(import.meta.dirname, {
    services: ['redis', 'cluster', 'postgres', 'dynamo'],
    testTimeout: 180_000,
    fileParallelism: false,
  }),
);
