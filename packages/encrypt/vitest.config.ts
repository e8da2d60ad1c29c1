import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../tools/vitest.shared.js';

// The wrapper runs over every real backend; DynamoDB Local is one JVM on shared cores, so files
// run one at a time and get a longer timeout.
export default defineConfig(
  sharedTestConfig(import.meta.dirname, { services: ['redis', 'cluster', 'postgres', 'dynamo'], fileParallelism: false, testTimeout: 60_000 }),
);
