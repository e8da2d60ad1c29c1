import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireService } from '@sessions/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractSnippets, type Snippet } from './markdown.js';
import { runSnippet } from './run-snippet.js';
import { foreignAddresses, serverPorts, snippetEnv, substitute, type TestServers } from './substitutions.js';
import { typecheck, type Diagnostic } from './typecheck.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const GENERATED = join(import.meta.dirname, '..', '.generated');
/** One directory per run, so two runs in one working tree never share files. */
const RUN_DIR = join(GENERATED, `run-${process.pid}-${Date.now()}`);
/** A snippet that has not exited by then left something open (PGlite alone takes ~25 s on a busy 2-core machine). */
const SNIPPET_TIMEOUT_MS = 120_000;

/** The Markdown files whose snippets must run: README.md, docs/*.md, packages/<name>/README.md. */
function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`);
  const readmes = readdirSync(join(ROOT, 'packages'))
    .sort()
    .map((name) => `packages/${name}/README.md`)
    .filter((file) => existsSync(join(ROOT, file)));
  return ['README.md', ...docs, ...readmes];
}

const snippets = docFiles().flatMap((file) => extractSnippets(readFileSync(join(ROOT, file), 'utf8'), file));

function testServers(): TestServers | undefined {
  const [redisUrl, clusterNodes, postgresUrl, dynamoEndpoint] = (['redis', 'cluster', 'postgres', 'dynamo'] as const).map(requireService);
  if (!redisUrl || !clusterNodes || !postgresUrl || !dynamoEndpoint) return undefined;
  return { redisUrl, clusterNodes: clusterNodes.split(','), postgresUrl, dynamoEndpoint };
}

const servers = testServers();
const PLACEHOLDER_SERVERS: TestServers = {
  redisUrl: 'redis://127.0.0.1:1',
  clusterNodes: ['127.0.0.1:2', '127.0.0.1:3', '127.0.0.1:4'],
  postgresUrl: 'postgres://postgres@127.0.0.1:5/sessions_test',
  dynamoEndpoint: 'http://127.0.0.1:6',
};

/** Where a snippet is written: `.generated/run-.../packages_redis_README-L21/snippet.ts`. */
const fileOf = (s: Snippet) => join(RUN_DIR, `${s.file.replace(/\.md$/, '').replace(/\//g, '_')}-L${s.line}`, 'snippet.ts');
const checked = snippets.filter((s) => s.mode === 'run' || s.mode === 'typecheck-only');
let diagnostics: Diagnostic[] = [];

/** A compiler error, placed at its line in the Markdown file. */
const describeDiagnostic = (s: Snippet, d: Diagnostic) => (d.file === '' ? d.text : `${s.file}:${s.line + d.line}: ${d.text}`);

beforeAll(async () => {
  // Runs over an hour old are leftovers of runs that were killed (or kept): drop them.
  for (const name of existsSync(GENERATED) ? readdirSync(GENERATED) : []) {
    const path = join(GENERATED, name);
    if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
  }
  for (const s of checked) {
    mkdirSync(join(fileOf(s), '..'), { recursive: true });
    writeFileSync(fileOf(s), substitute(s.code, servers ?? PLACEHOLDER_SERVERS));
  }
  diagnostics = await typecheck(RUN_DIR, checked.map(fileOf));
}, 300_000);

afterAll(() => {
  const count = (mode: Snippet['mode']) => snippets.filter((s) => s.mode === mode).length;
  console.log(
    `doc-tests: ${snippets.length} snippets: ${count('run')} run, ${count('typecheck-only')} typecheck-only, ` +
      `${count('quoted')} quoted from tested files, ${count('skip')} skipped`,
  );
  // Set DOC_TESTS_KEEP=1 to read the snippets as they ran (after substitution).
  if (process.env.DOC_TESTS_KEEP === '1') console.log(`doc-tests: the snippets as they ran are in ${RUN_DIR}`);
  else rmSync(RUN_DIR, { recursive: true, force: true });
});

describe.each([...new Set(snippets.map((s) => s.file))])('%s', (file) => {
  for (const s of snippets.filter((snippet) => snippet.file === file)) {
    const title = `line ${s.line + 1}${s.mode === 'run' ? '' : ` (${s.mode}${s.reason ? `: ${s.reason}` : ''})`}`;

    if (s.mode === 'skip') {
      it.skip(title, () => undefined);
      continue;
    }

    if (s.mode === 'quoted') {
      it(title, () => {
        expect(s.code, `${file}:${s.line}: the snippet must equal ${s.quotedFrom} (copy the file into the doc)`).toBe(
          readFileSync(join(ROOT, s.quotedFrom!), 'utf8'),
        );
      });
      continue;
    }

    it(title, async ({ skip }) => {
      const errors = diagnostics.filter((d) => d.file === '' || d.file === fileOf(s)).map((d) => describeDiagnostic(s, d));
      expect(errors, 'the snippet does not typecheck').toEqual([]);
      if (s.mode === 'typecheck-only') return;
      if (!servers) return skip('a test server is unavailable (see the warning above)');

      const code = readFileSync(fileOf(s), 'utf8');
      expect(foreignAddresses(code, servers), 'addresses that are neither a test server nor a form of the substitution table').toEqual([]);
      const env = snippetEnv(servers, process.env);
      env.DOC_TESTS_ALLOWED_PORTS = serverPorts(servers).join(',');
      const result = await runSnippet(fileOf(s), { cwd: join(fileOf(s), '..'), env, timeoutMs: SNIPPET_TIMEOUT_MS });
      if (result.timedOut) {
        throw new Error(`${file}:${s.line}: still running after ${SNIPPET_TIMEOUT_MS / 1000} s: a snippet must close what it opens\n${result.output}`);
      }
      expect(result.code, `${file}:${s.line} exited with ${result.code}:\n${result.output}`).toBe(0);
    });
  }
});
