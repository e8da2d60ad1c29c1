import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
        break;
      case 'type:backend':
        // A backend is core plus its driver (a peer dependency); never another backend.
        expect(deps).toEqual(['@sessions/core']);
        expect(peers).toEqual([]);
        expect(Object.keys(manifest.peerDependencies ?? {}).length).toBeGreaterThan(0);
        for (const dev of devs) expect(['type:core', 'type:testing', 'type:tool']).toContain(typeOf(dev));
        break;
      case 'type:testing':
      case 'type:wrapper':
      case 'type:adapter':
        expect(deps.filter((name) => name !== '@sessions/core')).toEqual([]);
        expect(peers).toEqual([]);
        break;
    }
    for (const name of [...deps, ...peers, ...devs]) expect(byName.has(name), `${name} is a workspace package`).toBe(true);
  });

  it('references the tsconfig.lib.json of every workspace package its src depends on', () => {
    const libConfig = join(ROOT, dir, 'tsconfig.lib.json');
    if (!existsSync(libConfig)) return;
    const config = JSON.parse(readFileSync(libConfig, 'utf8')) as { references?: { path: string }[] };
    const referenced = (config.references ?? []).map((ref) => join(dir, ref.path));
    for (const dep of workspaceDeps(manifest.dependencies)) {
      const target = byName.get(dep);
      if (target) expect(referenced, `${dir}/tsconfig.lib.json → ${target.dir}`).toContain(join(target.dir, 'tsconfig.lib.json'));
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

  it('publishes dist only, publicly, under the MIT license, with a README', () => {
    expect(manifest.files).toContain('dist');
    expect(manifest.publishConfig?.access).toBe('public');
    expect(manifest.license).toBe('MIT');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(existsSync(join(ROOT, dir, 'README.md')), `${dir}/README.md`).toBe(true);
  });
});
