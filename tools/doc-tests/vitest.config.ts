import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../vitest.shared.js';

// Every snippet is its own process and the machine is small: one test file at a time, and a
// long timeout for the one-off typecheck of every snippet.
export default defineConfig(
  sharedTestConfig(import.meta.dirname, {
    services: ['redis', 'cluster', 'postgres', 'dynamo'],
    testTimeout: 120_000,
    fileParallelism: false,
  }),
);
