import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..');

/** The parts of a package.json the checks read. */
export interface Manifest {
  name: string;
  version?: string;
  private?: boolean;
  license?: string;
  exports?: Record<string, string | Record<string, string>>;
  files?: string[];
  engines?: { node?: string };
  publishConfig?: { access?: string };
  repository?: { type?: string; url?: string; directory?: string };
  bin?: string | Record<string, string>;
  nx?: { name?: string; tags?: string[] };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

/** One workspace package. */
export interface WorkspacePackage {
  /** e.g. `packages/redis` */
  dir: string;
  manifest: Manifest;
  /** The single `type:*` tag, or undefined when missing. */
  type: string | undefined;
}

/** Every workspace package under packages/ and tools/. */
export function workspacePackages(): WorkspacePackage[] {
  return ['packages', 'tools'].flatMap((group) =>
    readdirSync(join(ROOT, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, group, entry.name, 'package.json')))
      .map((entry) => {
        const dir = relative(ROOT, join(ROOT, group, entry.name));
        const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Manifest;
        const type = manifest.nx?.tags?.find((tag) => tag.startsWith('type:'));
        return { dir, manifest, type };
      }),
  );
}

/** The `@sessions/*` names among a dependency map. */
export function workspaceDeps(deps: Record<string, string> | undefined): string[] {
  return Object.keys(deps ?? {}).filter((name) => name.startsWith('@sessions/'));
}
