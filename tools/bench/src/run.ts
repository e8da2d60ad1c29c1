import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PLOT_FILE, renderDocument, type RunMeta } from './document.js';
import { headlineRows } from './headline/table.js';
import { readCostSeries, readCostSvg } from './plot.js';
import { documentText } from './readings.js';
import { toMarkdown } from './report.js';
import type { BenchContext, BenchRow, BenchSuite } from './suite.js';

const USAGE = `Usage: run.ts [--quick] [--render] [--out=DIR] [suite ...]
  --quick   small sizes and few runs (a few minutes); results go to tools/bench/results/
  --render  re-render docs/performance.md and its plot from docs/performance.json (after editing readings.ts);
            with --quick, re-render tools/bench/results/ instead
  --out=DIR write (or, with --render, re-render) the results in DIR instead (two runs at once must not share one)
  suite     run only these suites (file names in src/suites/); results go to tools/bench/results/
A full run of every suite writes docs/performance.md, docs/performance.json and the plot\n(docs/performance-read-cost.svg).`;

const here = dirname(fileURLToPath(import.meta.url));
const docsDir = join(here, '..', '..', '..', 'docs');
const scratchDir = join(here, '..', 'results');

interface Output {
  meta: RunMeta;
  rows: BenchRow[];
}

async function write(dir: string, output: Output): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'performance.json'), JSON.stringify(output, null, 2) + '\n');
  await writeFile(join(dir, 'performance.md'), renderDocument(output.meta, output.rows, documentText));
  await writeFile(join(dir, PLOT_FILE), readCostSvg(readCostSeries(headlineRows(output.rows)), 'Read the newest 20 messages: time per call vs session length'));
  process.stdout.write(`\nwrote ${join(dir, 'performance.md')}, performance.json and ${PLOT_FILE}\n`);
}

async function loadSuites(wanted: string[]): Promise<BenchSuite[]> {
  const files = (await readdir(join(here, 'suites'))).filter((f) => f.endsWith('.ts')).sort();
  const suites: BenchSuite[] = [];
  for (const file of files) {
    const suite = ((await import(pathToFileURL(join(here, 'suites', file)).href)) as { default: BenchSuite }).default;
    if (!wanted.length || wanted.includes(suite.name)) suites.push(suite);
  }
  const unknown = wanted.filter((w) => !suites.some((s) => s.name === w));
  if (unknown.length) throw new Error(`no suite named ${unknown.join(', ')}; suites: ${files.map((f) => f.replace(/\.ts$/, '')).join(', ')}`);
  return suites;
}

/**
 * Runs the benchmark suites in `src/suites/` against the servers named by the `SESSIONS_*`
 * env vars (the `run` script starts them with the test-services harness), prints each suite's
 * tables, and writes the document and the raw figures (see {@link USAGE}).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) return void process.stdout.write(USAGE + '\n');
  const quick = args.includes('--quick');
  const out = args.find((a) => a.startsWith('--out='))?.slice('--out='.length);
  if (args.includes('--render')) {
    // --render --quick re-renders the scratch results of a quick or partial run instead.
    const dir = out ?? (quick ? scratchDir : docsDir);
    const output = JSON.parse(await readFile(join(dir, 'performance.json'), 'utf8')) as Output;
    return write(dir, output);
  }
  const wanted = args.filter((a) => !a.startsWith('--'));
  const context: BenchContext = {
    quick,
    redisUrl: process.env['SESSIONS_REDIS_URL'],
    clusterNodes: process.env['SESSIONS_REDIS_CLUSTER_NODES']?.split(',').filter(Boolean),
    postgresUrl: process.env['SESSIONS_POSTGRES_URL'],
    dynamoEndpoint: process.env['SESSIONS_DYNAMO_ENDPOINT'],
  };
  const started = Date.now();
  const load1 = () => loadavg()[0] ?? 0;
  const loadStart = load1();
  const suites = await loadSuites(wanted);
  const rows: BenchRow[] = [];
  const failures: { suite: string; error: string }[] = [];
  for (const suite of suites) {
    const suiteStarted = Date.now();
    process.stdout.write(`\n## ${suite.name}\n`);
    try {
      const suiteRows = await suite.run(context);
      process.stdout.write(`${toMarkdown(suiteRows)}\n(${suite.name}: ${Math.round((Date.now() - suiteStarted) / 1000)} s)\n`);
      rows.push(...suiteRows);
    } catch (error) {
      // One failing suite must not throw away the figures of a 20-minute run: record it, go on.
      process.stderr.write(`suite ${suite.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      failures.push({ suite: suite.name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  const meta: RunMeta = {
    date: new Date(started).toISOString(),
    durationSec: (Date.now() - started) / 1000,
    command: ['npm run bench', ...(args.length ? ['--', ...args] : [])].join(' '),
    quick,
    node: process.version,
    os: `${type()} ${release()}`,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: { start: loadStart, end: load1() },
    suites: suites.map((s) => s.name),
    failures,
  };
  await write(out ?? (quick || wanted.length ? scratchDir : docsDir), { meta, rows });
  if (failures.length) throw new Error(`${failures.length} suite(s) failed: ${failures.map((f) => f.suite).join(', ')}`);
}

main().then(
  // Clients a failed suite left open must not keep the process (and the servers) alive.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
