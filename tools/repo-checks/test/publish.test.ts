/**
 * The packages as they will be published: packs every publishable package, lints the tarballs
 * (publint, and attw with the ESM-only profile), installs them into a scratch app outside the
 * repository and imports every entry point, then dry-runs `nx release` (version, changelog,
 * publish) and checks that it changed and published nothing.
 *
 * Needs the build (`npx nx run-many -t build`; CI runs it before `npm test`, and
 * `npx nx test repo-checks` builds the packages first). The npm cache makes the scratch install
 * quick: every version installed here is one the repository's own install fetched.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  childEnv,
  describeRun,
  exportTargets,
  IMPORT_PROBE,
  installedCopies,
  missingBuildOutputs,
  run,
  STORE_PROBE,
  testedVersion,
} from './publish-support.js';
import { ROOT, workspacePackages, type Manifest } from './workspace.js';

const publishable = workspacePackages().filter((p) => p.manifest.private !== true);
/** A registry nobody listens on: even a publish that ignored --dry-run could send nothing anywhere. */
const NO_REGISTRY = 'http://127.0.0.1:9/';
const MINUTES = 60_000;

let work: string;
/** Tarball path by package name. */
const tarballs = new Map<string, string>();
/** The files in each tarball, by package name. */
const contents = new Map<string, string[]>();

beforeAll(async () => {
  const missing = publishable.flatMap(missingBuildOutputs);
  if (missing.length > 0) {
    throw new Error(`missing build output: ${missing.join(', ')}. Run "npx nx run-many -t build" first (CI builds before npm test).`);
  }
  work = mkdtempSync(join(tmpdir(), 'sessions-publish-'));
  const packDir = join(work, 'tarballs');
  mkdirSync(packDir);
  const args = ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir, ...publishable.flatMap((p) => ['--workspace', p.dir])];
  const packed = await run('npm', args, { cwd: ROOT });
  if (packed.code !== 0) throw new Error(describeRun('npm pack', packed));
  for (const entry of JSON.parse(packed.stdout) as { name: string; filename: string; files: { path: string }[] }[]) {
    tarballs.set(entry.name, join(packDir, entry.filename));
    contents.set(entry.name, entry.files.map((file) => file.path));
  }
}, 5 * MINUTES);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('every publishable package, packed', () => {
  it('is packed, with its LICENSE, README, dist and the sources its maps point at, and nothing stale', () => {
    expect([...tarballs.keys()].sort()).toEqual(publishable.map((p) => p.manifest.name).sort());
    const problems: string[] = [];
    for (const pkg of publishable) {
      const files = new Set(contents.get(pkg.manifest.name));
      for (const needed of ['package.json', 'LICENSE', 'README.md', 'src/index.ts', 'dist/index.js', 'dist/index.d.ts', 'dist/index.js.map']) {
        if (!files.has(needed)) problems.push(`${pkg.manifest.name}: ${needed} is missing`);
      }
      for (const file of files) {
        if (/\.test\.ts$|\.tsbuildinfo$/.test(file)) problems.push(`${pkg.manifest.name}: ${file} should not ship`);
        // tsc never deletes an output whose source is gone: a dist file without its source is
        // left over from an older build, and would ship as dead code.
        const source = /^dist\/(.+?)(?:\.d\.ts\.map|\.js\.map|\.d\.ts|\.js)$/.exec(file)?.[1];
        if (source !== undefined && !files.has(`src/${source}.ts`)) {
          problems.push(`${pkg.manifest.name}: ${file} has no source (stale build output: rm -rf ${pkg.dir}/dist && npx nx build ${pkg.manifest.nx?.name} --skip-nx-cache)`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('passes publint with no message at all (strict)', async () => {
    const problems: string[] = [];
    for (const [name, tarball] of tarballs) {
      const bytes = readFileSync(tarball);
      const { messages, pkg } = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, strict: true });
      for (const message of messages) problems.push(`${name}: [${message.type}] ${formatMessage(message, pkg, { color: false }) ?? message.code}`);
    }
    expect(problems).toEqual([]);
  });

  it('has types attw accepts for an ESM-only package (profile esm-only)', async () => {
    const attw = join(ROOT, 'node_modules', '.bin', 'attw');
    const failures: string[] = [];
    // Two at a time: each run is a TypeScript program over the tarball.
    const queue = [...tarballs];
    await Promise.all(
      [0, 1].map(async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [name, tarball] = next;
          const result = await run(attw, [tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'ascii', '--no-emoji', '--no-color'], { cwd: work });
          if (result.code !== 0) failures.push(describeRun(`attw ${name}`, result));
        }
      }),
    );
    expect(failures).toEqual([]);
  });
});

describe('a scratch app with the tarballs installed', () => {
  let app: string;
  /** The manifests as packed. */
  const packedManifests = new Map<string, Manifest>();
  const npmInstall = (specs: string[]) =>
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', ...specs], { cwd: app, timeoutMs: 8 * MINUTES });
  const importAll = async (probes: { specifier: string; kind: 'import' | 'require' }[]) => {
    const result = await run(process.execPath, ['probe-imports.mjs', JSON.stringify(probes)], { cwd: app });
    if (result.code !== 0) throw new Error(describeRun('the import probe', result));
    return JSON.parse(result.stdout) as { specifier: string; kind: string; ok: boolean; missing?: string; message?: string }[];
  };

  beforeAll(() => {
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'scratch-app', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
    writeFileSync(join(app, 'probe-imports.mjs'), IMPORT_PROBE);
    writeFileSync(join(app, 'probe-store.mjs'), STORE_PROBE);
  });

  it(
    'installs with the required peers only, one copy of core, and imports every entry point (optional peers added for the entries that need them)',
    async () => {
      const required = new Set<string>();
      const optional = new Set<string>();
      for (const pkg of publishable) {
        for (const peer of Object.keys(pkg.manifest.peerDependencies ?? {})) {
          if (peer.startsWith('@sessions/')) continue;
          (pkg.manifest.peerDependenciesMeta?.[peer]?.optional ? optional : required).add(peer);
        }
      }
      for (const peer of required) optional.delete(peer);
      // The versions the repository's tests run; npm refuses (ERESOLVE) one outside a peer range.
      const pinned = (names: Set<string>) => [...names].sort().map((name) => `${name}@${testedVersion(name)}`);

      const first = await npmInstall([...tarballs.values(), ...pinned(required)]);
      expect(first.code, describeRun('npm install (tarballs and required peers)', first)).toBe(0);

      // Every @sessions package comes from its tarball, never from a registry, and core exactly once.
      const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> };
      for (const [path, entry] of Object.entries(lock.packages)) {
        if (/(^|\/)node_modules\/@sessions\//.test(path)) expect(entry.resolved ?? '', `${path} resolved from a tarball`).toMatch(/^file:/);
      }
      expect(installedCopies(app, '@sessions/core').map((dir) => dir.slice(app.length + 1))).toEqual(['node_modules/@sessions/core']);

      const probes: { pkg: string; specifier: string; kind: 'import' | 'require' }[] = [];
      for (const name of tarballs.keys()) {
        const manifest = JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')) as Manifest;
        packedManifests.set(name, manifest);
        const seen = new Set<string>();
        for (const { subpath, condition } of exportTargets(manifest, ['import', 'require', 'default'])) {
          if (subpath === './package.json' || subpath.includes('*')) continue;
          // ESM everywhere; CommonJS only where a package claims it with a "require" condition.
          const kind = condition === 'require' ? 'require' : 'import';
          const specifier = `${name}${subpath.slice(1)}`;
          if (seen.has(`${kind} ${specifier}`)) continue;
          seen.add(`${kind} ${specifier}`);
          probes.push({ pkg: name, specifier, kind });
        }
      }
      expect(probes.length).toBeGreaterThanOrEqual(tarballs.size);

      const results = await importAll(probes);
      const deferred: typeof probes = [];
      const failures: string[] = [];
      results.forEach((result, i) => {
        const probe = probes[i]!;
        if (result.ok) return;
        const manifest = packedManifests.get(probe.pkg)!;
        const optionalPeer = result.missing !== undefined && manifest.peerDependenciesMeta?.[result.missing]?.optional === true;
        // A package's main entry never needs an optional peer; a subpath may (that is what it is for).
        if (optionalPeer && probe.specifier !== probe.pkg) deferred.push(probe);
        else failures.push(`${probe.kind} ${probe.specifier}: ${result.message}`);
      });
      expect(failures, 'entry points that fail with only the required peers installed').toEqual([]);

      const second = await npmInstall(pinned(optional));
      expect(second.code, describeRun('npm install (optional peers)', second)).toBe(0);
      const later = await importAll(deferred);
      expect(later.filter((r) => !r.ok).map((r) => `${r.kind} ${r.specifier}: ${r.message}`), 'entry points with their optional peers installed').toEqual([]);
      expect(installedCopies(app, '@sessions/core')).toHaveLength(1);
    },
    10 * MINUTES,
  );

  it(
    'runs: the CLI from its bin, and a store opened through core by URL with the shipped migrations',
    async () => {
      const bin = join(app, 'node_modules', '.bin', 'sessions');
      expect(existsSync(bin), 'the CLI bin is linked').toBe(true);
      const demo = await run(bin, ['--store', 'memory:', 'demo'], { cwd: app, timeoutMs: 2 * MINUTES });
      expect(demo.code, describeRun('sessions --store memory: demo', demo)).toBe(0);
      expect(demo.stdout).toMatch(/export of both users/);

      const store = await run(process.execPath, ['probe-store.mjs'], { cwd: app, timeoutMs: 3 * MINUTES });
      expect(store.code, describeRun('the store probe', store)).toBe(0);
      expect(JSON.parse(store.stdout)).toEqual({ messages: 1, store: 'PostgresSessionStore' });
    },
    5 * MINUTES,
  );
});

describe('nx release', () => {
  const nx = join(ROOT, 'node_modules', '.bin', 'nx');
  /** What a release would change: versions, changelogs, tags. */
  const snapshot = async () => ({
    versions: publishable.map((p) => `${p.manifest.name}@${(JSON.parse(readFileSync(join(ROOT, p.dir, 'package.json'), 'utf8')) as Manifest).version}`),
    changelogs: publishable.filter((p) => existsSync(join(ROOT, p.dir, 'CHANGELOG.md'))).map((p) => p.dir),
    tags: (await run('git', ['tag', '--list'], { cwd: ROOT })).stdout,
  });
  const next = (version: string) => version.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_all, major: string, minor: string, patch: string) => `${major}.${minor}.${Number(patch) + 1}`);

  it(
    'dry-runs a release of every package independently, with per-package changelogs, and publishes nothing',
    async () => {
      const before = await snapshot();
      const env = childEnv({ npm_config_registry: NO_REGISTRY, npm_config_fetch_retries: '0' });

      // From the conventional commits since each package's last tag (none yet: the manifest's version).
      const conventional = await run(nx, ['release', '--dry-run', '--skip-publish'], { cwd: ROOT, env });
      expect(conventional.code, describeRun('nx release --dry-run --skip-publish', conventional)).toBe(0);

      // A patch of every package: each gets its own version and its own CHANGELOG.md.
      const patch = await run(nx, ['release', 'patch', '--dry-run', '--skip-publish'], { cwd: ROOT, env });
      expect(patch.code, describeRun('nx release patch --dry-run --skip-publish', patch)).toBe(0);
      // Nx writes its file previews to stderr when colours are off: read both streams.
      const patched = patch.stdout + patch.stderr;
      for (const pkg of publishable) {
        const project = pkg.manifest.nx?.name ?? basename(pkg.dir);
        const version = next(pkg.manifest.version!);
        expect(patched, `${project} versioned on its own`).toMatch(new RegExp(`${project} .*New version ${version.replaceAll('.', '\\.')} written to manifest: ${pkg.dir}/package.json`));
        expect(patched, `${project} changelog`).toContain(`Previewing an entry in ${pkg.dir}/CHANGELOG.md for ${project}@${version}`);
      }
      for (const pkg of publishable) expect(patched).toContain(`UPDATE ${pkg.dir}/package.json [dry-run]`);

      // The builds ran before this test; publishing packs each package and stops at the registry.
      const publish = await run(nx, ['release', 'publish', '--dry-run', '--excludeTaskDependencies', '--registry', NO_REGISTRY], { cwd: ROOT, env });
      expect(publish.code, describeRun('nx release publish --dry-run', publish)).toBe(0);
      const published = publish.stdout + publish.stderr;
      // Nx cuts a long task output (a tarball's file list), so each package is recognised by
      // its task line and npm's header, which come first.
      expect(published).toContain(`Successfully ran target nx-release-publish for ${publishable.length} projects`);
      for (const pkg of publishable) {
        expect(published, `${pkg.manifest.name} dry-run publish`).toContain(`> nx run ${pkg.manifest.nx?.name ?? basename(pkg.dir)}:nx-release-publish`);
        expect(published, `${pkg.manifest.name} dry-run publish`).toMatch(new RegExp(`📦\\s+${pkg.manifest.name}@X\\.X\\.X-dry-run`));
      }
      const targets = [...published.matchAll(/Would publish to (\S+) with tag "latest", but \[dry-run\] was set/g)].map((m) => m[1]);
      expect(targets.length).toBeGreaterThan(0);
      expect(new Set(targets)).toEqual(new Set([NO_REGISTRY]));
      expect(published).not.toMatch(/\+ @sessions\//); // npm's line for a package it did publish

      expect(await snapshot()).toEqual(before);
    },
    10 * MINUTES,
  );
});
