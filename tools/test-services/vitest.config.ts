import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../vitest.shared.js';

// The harness tests start their own servers (several JVMs and postmasters): one file at a time.
export default defineConfig(sharedTestConfig(import.meta.dirname, { services: ['redis'], fileParallelism: false, testTimeout: 180_000 }));
