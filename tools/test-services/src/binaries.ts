import { accessSync, constants, readdirSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** How to get each binary the harness runs, for the error message when it is missing. */
export const INSTALL_HINTS: Record<string, string> = {
  'redis-server': 'apt-get install -y redis-server (macOS: brew install redis)',
  'redis-cli': 'apt-get install -y redis-server (macOS: brew install redis)',
  initdb: 'apt-get install -y postgresql (macOS: brew install postgresql); the harness also looks in /usr/lib/postgresql/*/bin',
  java: 'apt-get install -y default-jre-headless (Java 17+; macOS: brew install openjdk)',
};

/** A binary the harness needs is not installed. */
export class MissingBinaryError extends Error {
  constructor(readonly binary: string) {
    super(`[test-services] \`${binary}\` was not found on PATH. Install it: ${INSTALL_HINTS[binary] ?? binary}`);
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of `name`, searched in `PATH` then in `extraDirs`. */
export function findBinary(name: string, extraDirs: string[] = []): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  throw new MissingBinaryError(name);
}

/** Debian's per-version PostgreSQL bin dirs, newest version first. */
function debianPostgresDirs(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))
      .map((v) => `/usr/lib/postgresql/${v}/bin`);
  } catch {
    return [];
  }
}

/**
 * The directory that holds `initdb`, `postgres`, `pg_isready` and `psql` of one PostgreSQL
 * version. Debian's `/usr/bin/psql` is a wrapper that wants a configured cluster, so the
 * tools are taken next to the real `initdb`.
 */
export function postgresBinDir(): string {
  const initdb = realpathSync(findBinary('initdb', debianPostgresDirs()));
  const dir = dirname(initdb);
  for (const tool of ['postgres', 'pg_isready', 'psql']) {
    if (!isExecutable(join(dir, tool))) {
      throw new Error(`[test-services] ${tool} is missing next to ${initdb}. Install the full server: ${INSTALL_HINTS.initdb}`);
    }
  }
  return dir;
}
