import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new temp dir for one test file's databases, and a function that removes it. */
export function tempDir(tag: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `sessions-sqlite-${tag}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
