import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toMarkdown } from './report.js';
import type { BenchContext, BenchResult, BenchSuite } from './suite.js';

/**
 * Runs the benchmark suites in `src/suites/` against the servers named by the `SESSIONS_*`
 * env vars (the root `bench` script starts them with the test-services harness) and writes
 * `tools/bench/results/latest.{json,md}`. Usage: `run.ts [--quick] [suite ...]`.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const wanted = args.filter((a) => !a.startsWith('--'));
  const here = dirname(fileURLToPath(import.meta.url));
  const context: BenchContext = {
    quick,
    redisUrl: process.env['SESSIONS_REDIS_URL'],
    clusterNodes: process.env['SESSIONS_REDIS_CLUSTER_NODES']?.split(',').filter(Boolean),
    postgresUrl: process.env['SESSIONS_POSTGRES_URL'],
    dynamoEndpoint: process.env['SESSIONS_DYNAMO_ENDPOINT'],
  };
  const files = (await readdir(join(here, 'suites'))).filter((f) => f.endsWith('.ts')).sort();
  const results: BenchResult[] = [];
  for (const file of files) {
    const suite = ((await import(pathToFileURL(join(here, 'suites', file)).href)) as { default: BenchSuite }).default;
    if (wanted.length && !wanted.includes(suite.name)) continue;
    process.stdout.write(`\n## ${suite.name}\n`);
    const suiteResults = await suite.run(context);
    process.stdout.write(toMarkdown(suiteResults) + '\n');
    results.push(...suiteResults);
  }
  const outDir = join(here, '..', 'results');
  await mkdir(outDir, { recursive: true });
  const meta = { date: new Date().toISOString(), node: process.version, quick, cpus: (await import('node:os')).cpus().length };
  await writeFile(join(outDir, 'latest.json'), JSON.stringify({ meta, results }, null, 2) + '\n');
  await writeFile(join(outDir, 'latest.md'), toMarkdown(results));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
