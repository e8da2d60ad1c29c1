import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './workspace.js';

const BOUNDARIES = '@nx/enforce-module-boundaries';

/**
 * Lints `code` as if it were a file at `path` (relative to the root), with the repository's
 * own ESLint config. `lintText` with a file path needs no file on disk, so a lint of the
 * package running at the same time never sees the probe.
 */
async function lintAs(path: string, code: string): Promise<ESLint.LintResult> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  if (result === undefined) throw new Error(`ESLint returned no result for ${path}`);
  return result;
}

const boundaryErrors = (result: ESLint.LintResult) => result.messages.filter((m) => m.ruleId === BOUNDARIES);

describe('module boundaries', () => {
  it('reject a backend importing another backend', async () => {
    const result = await lintAs(
      'packages/redis/src/boundary-probe.ts',
      "import { PostgresSessionStore } from '@sessions/postgres';\nexport const probe = PostgresSessionStore;\n",
    );
    const errors = boundaryErrors(result);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.severity).toBe(2);
    expect(errors[0]?.message).toMatch(/type:backend.*type:core/);
  });

  it('reject a backend test importing another backend', async () => {
    const result = await lintAs(
      'packages/dynamo/test/boundary-probe.test.ts',
      "import { RedisSessionStore } from '@sessions/redis';\nexport const probe = RedisSessionStore;\n",
    );
    expect(boundaryErrors(result)).toHaveLength(1);
  });

  it('reject core importing a backend', async () => {
    const result = await lintAs(
      'packages/core/src/boundary-probe.ts',
      "import { RedisSessionStore } from '@sessions/redis';\nexport const probe = RedisSessionStore;\n",
    );
    expect(boundaryErrors(result)).toHaveLength(1);
  });

  it('let a backend import core, and its tests use the conformance suite', async () => {
    const src = await lintAs(
      'packages/redis/src/boundary-probe.ts',
      "import { InputGuard } from '@sessions/core';\nexport const probe = InputGuard;\n",
    );
    expect(boundaryErrors(src)).toEqual([]);
    const test = await lintAs(
      'packages/redis/test/boundary-probe.test.ts',
      "import { describeConformance } from '@sessions/conformance';\nexport const probe = describeConformance;\n",
    );
    expect(boundaryErrors(test)).toEqual([]);
  });

  it('let a test import its own package by name (the public entry point)', async () => {
    const result = await lintAs(
      'packages/redis/test/boundary-probe.test.ts',
      "import { RedisSessionStore } from '@sessions/redis';\nexport const probe = RedisSessionStore;\n",
    );
    expect(boundaryErrors(result)).toEqual([]);
  });
});
