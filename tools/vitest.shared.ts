import { basename, join } from 'node:path';
import type { ViteUserConfig } from 'vitest/config';

/** A server the test harness (`tools/test-services`) can start for a package's tests. */
export type TestService = 'redis' | 'cluster' | 'postgres' | 'dynamo';

/** Per-package adjustments of the shared vitest settings. */
export interface SharedTestOptions {
  /** Servers the package's tests need; the harness starts them (or uses the `SESSIONS_*` env vars). */
  services?: TestService[];
  /** Extra global setup files, run after the harness's. */
  globalSetup?: string[];
  /** @default 30000 */
  testTimeout?: number;
  /** @default true */
  fileParallelism?: boolean;
}

const harnessSetup = join(import.meta.dirname, 'test-services', 'src', 'global-setup.ts');

/**
 * The vitest settings every package shares. Tests import workspace packages through the
 * `@sessions/source` export condition, so they run against `src/` without a build.
 * `services` wires the test-services harness in one line (see tools/test-services/README.md).
 */
export function sharedTestConfig(projectDir: string, overrides: SharedTestOptions = {}): ViteUserConfig {
  const services = overrides.services ?? [];
  return {
    root: projectDir,
    cacheDir: `${projectDir}/node_modules/.vite`,
    resolve: { conditions: ['@sessions/source'] },
    ssr: { resolve: { conditions: ['@sessions/source'] } },
    test: {
      name: basename(projectDir),
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
      environment: 'node',
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: 120_000,
      globalSetup: [...(services.length > 0 ? [harnessSetup] : []), ...(overrides.globalSetup ?? [])],
      // The harness's global setup reads the list from here (it runs in the main process).
      env: services.length > 0 ? { SESSIONS_SERVICES: services.join(',') } : {},
      fileParallelism: overrides.fileParallelism ?? true,
      reporters: ['default'],
      passWithNoTests: false,
    },
  };
}
