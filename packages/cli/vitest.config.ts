import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../tools/vitest.shared.js';

// End-to-end: every test spawns the built bin; the servers come from the shared harness.
export default defineConfig(
  sharedTestConfig(import.meta.dirname, { services: ['redis', 'postgres', 'dynamo'], testTimeout: 300_000, fileParallelism: false }),
);
