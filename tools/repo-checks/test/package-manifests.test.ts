import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBoundedRange, isCaretRangeFor } from './version-range.js';
import { ROOT, workspaceDeps, workspacePackages, type WorkspacePackage } from './workspace.js';

const TYPES = ['type:core', 'type:testing', 'type:backend', 'type:wrapper', 'type:adapter', 'type:tool'];
const packages = workspacePackages();
const byName = new Map(packages.map((p) => [p.manifest.name, p]));
const publishable = packages.filter((p) => p.manifest.private !== true);
const typeOf = (name: string) => byName.get(name)?.type;

describe('the workspace', () => {
  it('has the packages the docs describe', () => {
    const names = packages.map((p) => p.manifest.name);
    for (const name of ['@sessions/core', '@sessions/redis', '@sessions/postgres', '@sessions/dynamo', '@sessions/conformance']) {
      expect(names).toContain(name);
    }
  });
});

describe.each(packages.map((p) => [p.dir, p] as const))('%s', (dir, pkg: WorkspacePackage) => {
  const { manifest } = pkg;

  it('has exactly one known type:* tag and an nx name', () => {
    const typeTags = (manifest.nx?.tags ?? []).filter((tag) => tag.startsWith('type:'));
    expect(typeTags).toHaveLength(1);
    expect(TYPES).toContain(typeTags[0]);
    expect(manifest.nx?.name).toBeTruthy();
  });

  it('declares engines.node >=20 and its repository directory', () => {
    expect(manifest.engines?.node).toBe('>=20');
    expect(manifest.repository?.directory).toBe(dir);
  });

  it('depends only on packages its type may use', () => {
    const deps = workspaceDeps(manifest.dependencies);
    const peers = workspaceDeps(manifest.peerDependencies);
    const devs = workspaceDeps(manifest.devDependencies);
    switch (pkg.type) {
      case 'type:core':
        expect(deps).toEqual([]);
        expect(peers).toEqual([]);
        break;
      case 'type:backend':
        // A backend is core (a peer: one copy per app) plus its driver (a peer too); never another backend.
        expect(deps).toEqual([]);
        expect(peers).toEqual(['@sessions/core']);
        expect(Object.keys(manifest.peerDependencies ?? {}).filter((name) => !name.startsWith('@sessions/')).length).toBeGreaterThan(0);
        for (const dev of devs) expect(['type:core', 'type:testing', 'type:tool']).toContain(typeOf(dev));
        break;
      case 'type:testing':
      case 'type:wrapper':
      case 'type:adapter':
        expect(deps).toEqual([]);
        expect(peers).toEqual(['@sessions/core']);
        break;
    }
    for (const name of [...deps, ...peers, ...devs]) expect(byName.has(name), `${name} is a workspace package`).toBe(true);
  });

  it('references the tsconfig.lib.json of every workspace package its src imports', () => {
    const libConfig = join(ROOT, dir, 'tsconfig.lib.json');
    if (!existsSync(libConfig)) return;
    const config = JSON.parse(readFileSync(libConfig, 'utf8')) as { references?: { path: string }[] };
    const referenced = (config.references ?? []).map((ref) => join(dir, ref.path));
    const imported = importedWorkspacePackages(join(ROOT, dir, 'src'));
    for (const dep of [...workspaceDeps(manifest.dependencies), ...workspaceDeps(manifest.peerDependencies)]) {
      const target = byName.get(dep);
      if (target && imported.has(dep)) expect(referenced, `${dir}/tsconfig.lib.json → ${target.dir}`).toContain(join(target.dir, 'tsconfig.lib.json'));
    }
  });
});

describe.each(publishable.map((p) => [p.dir, p] as const))('publishable %s', (dir, pkg: WorkspacePackage) => {
  const { manifest } = pkg;

  it('exports types before import/default, sources under the @sessions/source condition', () => {
    const root = manifest.exports?.['.'];
    expect(typeof root).toBe('object');
    const conditions = Object.keys(root as Record<string, string>);
    const at = (key: string) => conditions.indexOf(key);
    expect(at('types')).toBeGreaterThanOrEqual(0);
    expect(at('types')).toBeLessThan(at('import'));
    expect(at('types')).toBeLessThan(at('default'));
    expect(conditions.filter((c) => c !== '@sessions/source')[0]).toBe('types');
    expect((root as Record<string, string>)['@sessions/source']).toBe('./src/index.ts');
    expect(existsSync(join(ROOT, dir, 'src', 'index.ts'))).toBe(true);
  });

  it('publishes dist with its sources (the maps point at them), publicly, under the MIT license, with a README and LICENSE', () => {
    // Declaration and source maps point at src/, so src ships with them (without tests).
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', 'src', '!src/**/*.test.ts', 'README.md', 'LICENSE']));
    expect(manifest.publishConfig?.access).toBe('public');
    expect(manifest.license).toBe('MIT');
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\/github\.com\/.+\.git$/);
    expect(manifest.repository?.type).toBe('git');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const file of ['README.md', 'LICENSE']) expect(existsSync(join(ROOT, dir, file)), `${dir}/${file}`).toBe(true);
  });

  it('takes other @sessions packages with caret ranges: core as a peer (one copy per app), unless it is an application', () => {
    const ranges = { ...manifest.dependencies, ...manifest.peerDependencies };
    for (const name of [...workspaceDeps(manifest.dependencies), ...workspaceDeps(manifest.peerDependencies)]) {
      const version = byName.get(name)?.manifest.version;
      expect(isCaretRangeFor(ranges[name], version), `${name}@${ranges[name]} is a caret range ${version} satisfies`).toBe(true);
    }
    if (manifest.bin !== undefined) return; // An application (the CLI) owns its copy: dependencies, not peers.
    expect(workspaceDeps(manifest.dependencies), 'no @sessions package among dependencies').toEqual([]);
    // A peer is not installed for the workspace itself: a devDependency links it here.
    for (const name of workspaceDeps(manifest.peerDependencies)) expect(manifest.devDependencies?.[name], `${name} also in devDependencies`).toBe(manifest.peerDependencies?.[name]);
  });

  it('bounds every peer dependency range (no untested major)', () => {
    for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
      expect(isBoundedRange(range), `${name}@${range} has an upper bound`).toBe(true);
    }
  });
});

/** The `@sessions/*` packages the files under `srcDir` import (statically or with `import()`). */
function importedWorkspacePackages(srcDir: string): Set<string> {
  const found = new Set<string>();
  if (!existsSync(srcDir)) return found;
  for (const entry of readdirSync(srcDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const match of text.matchAll(/(?:from|import\()\s*'(@sessions\/[^/']+)/g)) found.add(match[1]!);
  }
  return found;
}
