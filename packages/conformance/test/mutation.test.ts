import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BROKEN_STORES } from './mutants/broken-stores.js';

/**
 * The behaviours (describe titles) that must catch each broken store. Only deterministic
 * behaviours are listed: the model-based test draws random commands, so whether one run of it
 * meets a given broken rule (a stale expectedLastSeq, say) is chance.
 */
const MUST_CATCH: Record<keyof typeof BROKEN_STORES, string[]> = {
  ignoresIdempotencyKeys: ['idempotent retry (idempotencyKey)', 'concurrency (separate clients)'],
  ignoresExpectedLastSeq: ['compare-and-append (expectedLastSeq)', 'concurrency (separate clients)'],
  splitsBatches: ['atomic batches', 'concurrency (separate clients)', 'input validation'],
  limitsFromTheStart: ['getMessages ranges'],
  listsOldestFirst: ['listSessions'],
  neverCloses: ['health and close'],
  replaceTailKeepsTail: ['replaceTail'],
  replaceTailInTwoSteps: ['replaceTail'],
  replaceTailIgnoresIdempotencyKeys: ['replaceTail'],
  reusesSeqsAfterReplaceTail: ['replaceTail'],
  trimOffByOne: ['trimSession'],
  trimDoesNotTouch: ['trimSession'],
  rewriteResurrects: ['rewriteMessages'],
  rewriteMovesCreatedAt: ['rewriteMessages'],
  rewriteReadModifyWrite: ['rewriteMessages'],
  trimReadModifyWrite: ['trimSession'],
  readsCappedPages: ['paged reads and readHistory'],
  ignoresBatchCaps: ['batch caps (maxBatchMessages, maxBatchBytes)'],
  handleSwapsIds: ['session handle (store.session)'],
  setupOnlyOnce: ['setup'],
};

/**
 * Tests (the start of a title below the behaviour) that must fail for a broken store, where the
 * behaviour's name alone would not prove the rule is checked: a replaceTail in two steps must be
 * caught by the concurrency test itself, a replaceTail that forgets keys by the retry test.
 */
const MUST_CATCH_TESTS: Partial<Record<keyof typeof BROKEN_STORES, string[]>> = {
  replaceTailInTwoSteps: ['is atomic under'],
  replaceTailIgnoresIdempotencyKeys: ['idempotent retry: the same key returns the first result with duplicate: true and changes nothing, before expectedLastSeq'],
  reusesSeqsAfterReplaceTail: ['with messages [] truncates, and later seqs still continue after lastSeq (never reused)'],
  trimDoesNotTouch: ['bumps updatedAt and slides the TTL, keeping createdAt and metadata'],
  rewriteResurrects: ['reports seqs no longer held in missing, in ascending order, and never resurrects them'],
  rewriteMovesCreatedAt: ['replaces the content in place, keeping seq, createdAt, lastSeq and messageCount'],
  rewriteReadModifyWrite: ['rewriting while'],
  trimReadModifyWrite: ['trimming while'],
};

interface JsonReport {
  testResults: Array<{ assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string }> }>;
}

/** Runs the suite over every broken store in a child vitest and returns the failed tests' titles. */
async function runBrokenSuites(): Promise<Array<{ path: string[]; status: string }>> {
  const dir = await mkdtemp(join(tmpdir(), 'conformance-mutants-'));
  const output = join(dir, 'report.json');
  const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  // The child is a separate vitest run: do not let it think it is a worker of this one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  try {
    await promisify(execFile)(
      process.execPath,
      [vitest, 'run', '--config', join(import.meta.dirname, 'mutants', 'vitest.mutants.config.mjs'), '--reporter=json', `--outputFile=${output}`],
      { env, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: unknown) => error); // failing tests are the point: a non-zero exit is expected
    const report = JSON.parse(await readFile(output, 'utf8')) as JsonReport;
    return report.testResults.flatMap((file) => file.assertionResults.map((r) => ({ path: [...r.ancestorTitles, r.title], status: r.status })));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('mutation check: the suite catches stores that break the contract', () => {
  it('fails, for each deliberately broken store, in the behaviours that cover the broken rule', async () => {
    const results = await runBrokenSuites();
    expect(results.length).toBeGreaterThan(100);
    for (const [mutant, behaviours] of Object.entries(MUST_CATCH)) {
      const own = results.filter((r) => r.path[0] === `${mutant} conformance`);
      expect(own.length, `${mutant} ran`).toBeGreaterThan(100);
      for (const behaviour of behaviours) {
        const failed = own.filter((r) => r.path[1] === behaviour && r.status === 'failed');
        expect(failed.length, `${mutant} must fail in "${behaviour}"`).toBeGreaterThan(0);
      }
      for (const title of MUST_CATCH_TESTS[mutant as keyof typeof BROKEN_STORES] ?? []) {
        const failed = own.filter((r) => r.path.slice(2).some((name) => name.startsWith(title)) && r.status === 'failed');
        expect(failed.length, `${mutant} must fail in "${title}"`).toBeGreaterThan(0);
      }
    }
  }, 600_000);
});
