import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The page's files, shipped in the package (`assets/ui`): no build step on the user's side. */
const ASSET_DIR = fileURLToPath(new URL('../../assets/ui/', import.meta.url));

const TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'render.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** The content and type of one of the page's files, or `undefined` for any other name. */
export async function readAsset(name: string): Promise<{ body: Buffer; type: string } | undefined> {
  const type = TYPES[name];
  if (!type) return undefined;
  return { body: await readFile(ASSET_DIR + name), type };
}
