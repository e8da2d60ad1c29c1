// Runs the SDK's own session tests (copied next to this file by run.sh) against the installed
// @openai/agents-core / @openai/agents-openai, with `MemorySession` being either ours
// (SDK_SESSION=ours, the default) or the SDK's (SDK_SESSION=sdk, the baseline).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'vitest/config';

const here = import.meta.dirname;
const ours = (process.env.SDK_SESSION ?? 'ours') === 'ours';
const require = createRequire(join(here, 'package.json'));
const agentsOpenAI = dirname(require.resolve('@openai/agents-openai'));

/**
 * The test files' own `@openai/agents-core` becomes agents-core.mjs (the package with our
 * MemorySession); every other importer, agents-core.mjs itself included, gets the package.
 */
const ourMemorySession = {
  name: 'our-memory-session',
  enforce: 'pre',
  resolveId(source, importer) {
    if (ours && source === '@openai/agents-core' && importer?.endsWith('.test.ts')) return join(here, 'agents-core.mjs');
    return null;
  },
};

export default defineConfig({
  plugins: [ourMemorySession],
  resolve: {
    conditions: ['@sessions/source'],
    alias: [
      // memorySession.test.ts: `import { MemorySession } from '../src/memory/memorySession'`.
      {
        find: /^\.\.\/src\/memory\/memorySession$/,
        replacement: ours ? join(here, 'memory-session.mjs') : join(here, 'sdk-memory-session.mjs'),
      },
      // openaiResponsesCompactionSession.test.ts: the package under test and its session tag,
      // from the installed build (the same module instance the package itself uses).
      { find: /^\.\.\/src\/memory\/openaiSessionApi$/, replacement: join(agentsOpenAI, 'memory', 'openaiSessionApi.mjs') },
      { find: /^\.\.\/src$/, replacement: '@openai/agents-openai' },
    ],
  },
  ssr: { resolve: { conditions: ['@sessions/source'] } },
  test: { include: ['*.test.ts'], environment: 'node', testTimeout: 30_000 },
});
