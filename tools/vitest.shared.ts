import { basename } from 'node:path';
import type { ViteUserConfig } from 'vitest/config';

/**
 * The vitest settings every package shares. Tests import workspace packages through the
 * `@sessions/source` export condition, so they run against `src/` without a build.
 */
export function sharedTestConfig(
  projectDir: string,
  overrides: { globalSetup?: string[]; testTimeout?: number; fileParallelism?: boolean } = {},
): ViteUserConfig {
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
      globalSetup: overrides.globalSetup ?? [],
      fileParallelism: overrides.fileParallelism ?? true,
      reporters: ['default'],
      passWithNoTests: false,
    },
  };
}
