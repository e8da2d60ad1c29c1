import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const guide = readFileSync(join(root, 'docs', 'writing-a-backend.md'), 'utf8');

/** Every `<!-- quoted from <path> -->` block of the guide: the path and the code that follows it. */
const quotes = [...guide.matchAll(/<!-- quoted from (\S+) -->\n```ts\n([\s\S]*?)```\n/g)].map(([, path = '', code = '']) => ({ path, code }));

describe('docs/writing-a-backend.md', () => {
  it('quotes the example driver, its store and its conformance test', () => {
    expect(quotes.map((q) => q.path)).toEqual([
      'packages/conformance/test/example-driver/map-driver.ts',
      'packages/conformance/test/example-driver/map-session-store.ts',
      'packages/conformance/test/example-driver.test.ts',
    ]);
  });

  it.each(quotes)('quotes $path exactly as the file is (copy the file into the guide after a change)', ({ path, code }) => {
    expect(code).toBe(readFileSync(join(root, path), 'utf8'));
  });
});
