import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../vitest.shared.js';

// Every snippet is its own process and the machine is small: one test file at a time, and a
// long timeout for the one-off typecheck of every snippet.
export default defineConfig(
  sharedTestConfig(import.meta.dirname, {
    services: ['redis', 'cluster', 'postgres', 'dynamo'],
    testTimeout: 180_000, // above the runner's own 120 s per snippet, so its message (not vitest's) explains a hang
    fileParallelism: false,
  }),
);
