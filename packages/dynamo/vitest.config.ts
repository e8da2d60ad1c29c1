import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../tools/vitest.shared.js';

// DynamoDB Local is one JVM on shared cores: test files run one at a time, so the concurrency
// tests measure the store, not a starved server.
export default defineConfig(sharedTestConfig(import.meta.dirname, { services: ['dynamo'], fileParallelism: false, testTimeout: 60_000 }));
