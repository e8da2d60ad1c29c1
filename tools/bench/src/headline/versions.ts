import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The installed version of `name` ("1.27"), for the headline's row names: a figure is only
 * worth what the version it measured. Major.minor only; '' when it cannot be found.
 */
export function packageVersion(name: string): string {
  const short = (v: string) => v.split('.').slice(0, 2).join('.');
  try {
    return short((require(`${name}/package.json`) as { version: string }).version);
  } catch {
    // Packages whose exports hide package.json: walk up from their entry point.
    try {
      let dir = dirname(require.resolve(name));
      for (let up = 0; up < 5; up++, dir = dirname(dir)) {
        try {
          const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
          if (pkg.name === name && pkg.version) return short(pkg.version);
        } catch {
          // no package.json at this level: go up
        }
      }
    } catch {
      // not resolvable at all
    }
    return '';
  }
}
