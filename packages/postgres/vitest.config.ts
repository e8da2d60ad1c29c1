import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../tools/vitest.shared.js';

// PGlite files each hold one embedded database (~300 MB, seconds to start): allow them time.
export default defineConfig(sharedTestConfig(import.meta.dirname, { services: ['postgres'], testTimeout: 60_000 }));
