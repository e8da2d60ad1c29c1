import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest, WorkspacePackage } from './workspace.js';
import { ROOT } from './workspace.js';

/** What a child process printed and how it ended. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment for child npm, node and nx processes: this process's, without what `npm test`,
 * Nx and vitest put there (`npm_config_*` of the root run would redirect a scratch install,
 * `NX_TASK_*` would make the nested Nx believe it is a task of the outer one), and without colour.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|NX_|VITEST)/i.test(key) || key === 'NODE_ENV' || key === 'NODE_OPTIONS') continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...extra };
}

/** Runs a command to its end (never throws for a non-zero exit: the caller asserts on it). */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? childEnv(), timeout: options.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** A failed command as a readable assertion message: the command, its exit code and the end of its output. */
export function describeRun(what: string, result: RunResult): string {
  const tail = (text: string) => text.split('\n').slice(-40).join('\n');
  return `${what} exited ${result.code}\n--- stdout (end)\n${tail(result.stdout)}\n--- stderr (end)\n${tail(result.stderr)}`;
}

/** The files a package's `exports` map points at for `conditions`, e.g. `./dist/index.js`. */
export function exportTargets(manifest: Manifest, conditions: string[]): { subpath: string; condition: string; file: string }[] {
  const targets: { subpath: string; condition: string; file: string }[] = [];
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target === 'string') {
      if (conditions.includes('default')) targets.push({ subpath, condition: 'default', file: target });
      continue;
    }
    for (const condition of conditions) {
      const file = target[condition];
      if (file !== undefined) targets.push({ subpath, condition, file });
    }
  }
  return targets;
}

/**
 * Build outputs the exports point at that are missing: the tarballs would ship without them.
 * The check needs `nx run-many -t build` first (CI runs it before `npm test`).
 */
export function missingBuildOutputs(pkg: WorkspacePackage): string[] {
  return exportTargets(pkg.manifest, ['types', 'import', 'require', 'default'])
    .filter(({ file }) => file.startsWith('./dist/'))
    .map(({ file }) => join(pkg.dir, file))
    .filter((file) => !existsSync(join(ROOT, file)));
}

/** The version of `name` installed at the repository root: the one the tests here run. */
export function testedVersion(name: string): string {
  const manifestPath = join(ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(manifestPath)) throw new Error(`${name} is not installed at the repository root, so no test here runs it`);
  return (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest).version!;
}

/** Every `node_modules/<name>` directory under `dir`, at any depth (copies of one package). */
export function installedCopies(dir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (modules: string) => {
    if (!existsSync(modules)) return;
    if (existsSync(join(modules, name, 'package.json'))) found.push(join(modules, name));
    for (const entry of readdirSync(modules, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const scoped = entry.name.startsWith('@');
      const children = scoped ? readdirSync(join(modules, entry.name)).map((child) => join(modules, entry.name, child)) : [join(modules, entry.name)];
      for (const child of children) walk(join(child, 'node_modules'));
    }
  };
  walk(join(dir, 'node_modules'));
  return found;
}

/**
 * The script the scratch app runs: imports (or requires) each specifier given as JSON in argv[2]
 * and prints one JSON line per specifier, with the package a failed import could not find.
 */
export const IMPORT_PROBE = `
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const results = [];
for (const { specifier, kind } of JSON.parse(process.argv[2])) {
  try {
    const module = kind === 'require' ? require(specifier) : await import(specifier);
    results.push({ specifier, kind, ok: true, exports: Object.keys(module).length });
  } catch (error) {
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(String(error?.message))?.[1];
    results.push({ specifier, kind, ok: false, code: error?.code, missing, message: String(error?.message).split('\\n')[0] });
  }
}
process.stdout.write(JSON.stringify(results));
`;

/**
 * The scratch app's smoke run: core's openStore finds the PostgreSQL backend by itself (a
 * dynamic import from core's own location in node_modules), and the store applies the SQL
 * migrations shipped in the tarball to an embedded PGlite.
 */
export const STORE_PROBE = `
import { openStore } from '@sessions/core';
const store = await openStore('pglite:');
try {
  await store.setup();
  await store.append('user', 'session', [{ role: 'user', content: 'hello' }]);
  const messages = await store.getMessages('user', 'session');
  process.stdout.write(JSON.stringify({ messages: messages.length, store: store.constructor.name }));
} finally {
  await store.close();
}
`;
