import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../tools/vitest.shared.js';

// The adapters run over every backend the harness provides, as an app would switch stores.
export default defineConfig(sharedTestConfig(import.meta.dirname, { services: ['redis', 'postgres'] }));
