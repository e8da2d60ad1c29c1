import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../tools/vitest.shared.js';

// No server to start: every test works on SQLite files in a temp dir (or in memory). The
// cross-process test runs child processes of its own, so it gets more time.
export default defineConfig(sharedTestConfig(import.meta.dirname, { testTimeout: 60_000 }));
