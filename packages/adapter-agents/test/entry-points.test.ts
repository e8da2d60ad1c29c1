import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, Record<string, string> | string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

/** Each entry point and the one framework it may load. */
const entries = { openai: '@openai/agents-core', 'ai-sdk': 'ai', langchain: '@langchain/core' } as const;
const frameworks = Object.values(entries);

/** Every import specifier of the files under `src/<dir>`, with whether it is type-only. */
function importsOf(dir: string): { from: string; typeOnly: boolean }[] {
  const files = readdirSync(join(root, 'src', dir)).filter((file) => file.endsWith('.ts'));
  return files.flatMap((file) => {
    const text = readFileSync(join(root, 'src', dir, file), 'utf8');
    return [...text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)].map((match) => ({
      from: match[3] as string,
      typeOnly: match[2] !== undefined,
    }));
  });
}

describe('entry points', () => {
  it.each(Object.keys(entries))('exports ./%s from its own source folder, source condition first', (entry) => {
    const target = manifest.exports[`./${entry}`] as Record<string, string>;
    expect(Object.keys(target)[0]).toBe('@sessions/source');
    expect(target).toMatchObject({
      '@sessions/source': `./src/${entry}/index.ts`,
      types: `./dist/${entry}/index.d.ts`,
      import: `./dist/${entry}/index.js`,
    });
  });

  it('declares every framework as an optional peer', () => {
    for (const framework of frameworks) {
      expect(manifest.peerDependencies[framework]).toBeDefined();
      expect(manifest.peerDependenciesMeta[framework]?.optional).toBe(true);
    }
  });

  it.each(Object.entries(entries))('loads no framework but its own from ./%s', (entry, own) => {
    const imports = importsOf(entry);
    for (const other of frameworks.filter((framework) => framework !== own)) {
      expect(imports.filter((entryImport) => entryImport.from.startsWith(other) && !entryImport.typeOnly)).toEqual([]);
    }
  });

  it('loads the Agents SDK and the AI SDK for their types only (no runtime cost)', () => {
    const runtime = [...importsOf('openai'), ...importsOf('ai-sdk'), ...importsOf('shared')].filter(
      (entryImport) => frameworks.some((framework) => entryImport.from.startsWith(framework)) && !entryImport.typeOnly,
    );
    expect(runtime).toEqual([]);
  });

  it('keeps the root entry empty', () => {
    expect(readFileSync(join(root, 'src', 'index.ts'), 'utf8')).toMatch(/^export \{\};$/m);
  });
});
