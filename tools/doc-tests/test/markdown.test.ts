import { describe, expect, it } from 'vitest';
import { extractSnippets } from './markdown.js';

const fence = '```';

describe('extractSnippets', () => {
  it('finds ts and typescript blocks with their fence line, and nothing else', () => {
    const md = ['# Title', '', `${fence}ts`, 'const a = 1;', fence, '', `${fence}sh`, 'npm test', fence, `${fence}typescript`, 'const b = 2;', fence].join('\n');
    expect(extractSnippets(md, 'x.md')).toEqual([
      { file: 'x.md', line: 3, code: 'const a = 1;\n', mode: 'run' },
      { file: 'x.md', line: 10, code: 'const b = 2;\n', mode: 'run' },
    ]);
  });

  it('removes the indentation of a fence inside a list item', () => {
    const md = ['- item:', '', `  ${fence}ts`, '  if (x) {', '    y();', '  }', `  ${fence}`].join('\n');
    expect(extractSnippets(md, 'x.md')[0]!.code).toBe('if (x) {\n  y();\n}\n');
  });

  it('does not take a ts fence shown inside a longer fence', () => {
    const md = [`${fence}\`md`, `${fence}ts`, 'const a = 1;', fence, `${fence}\``].join('\n');
    expect(extractSnippets(md, 'x.md')).toEqual([]);
  });

  it('reads the marks right before a fence, blank lines allowed, with their reason', () => {
    const md = [
      '<!-- doc-test: typecheck-only (calls a real model) -->',
      '',
      `${fence}ts`,
      'run();',
      fence,
      '<!-- doc-test: skip (a fragment) -->',
      `${fence}ts`,
      'x',
      fence,
      '<!-- quoted from packages/a/b.ts -->',
      `${fence}ts`,
      'y',
      fence,
    ].join('\n');
    expect(extractSnippets(md, 'x.md').map(({ mode, reason, quotedFrom }) => ({ mode, reason, quotedFrom }))).toEqual([
      { mode: 'typecheck-only', reason: 'calls a real model', quotedFrom: undefined },
      { mode: 'skip', reason: 'a fragment', quotedFrom: undefined },
      { mode: 'quoted', reason: undefined, quotedFrom: 'packages/a/b.ts' },
    ]);
  });

  it('does not carry a mark past text to a later fence', () => {
    const md = ['<!-- doc-test: skip (a fragment) -->', 'Some prose.', `${fence}ts`, 'run();', fence].join('\n');
    expect(extractSnippets(md, 'x.md')[0]!.mode).toBe('run');
  });

  it('refuses a mark without a reason, or one it does not know', () => {
    expect(() => extractSnippets(['<!-- doc-test: skip -->', `${fence}ts`, 'x', fence].join('\n'), 'x.md')).toThrow(/x\.md:2: unknown mark/);
    expect(() => extractSnippets(['<!-- doc-test: run-twice (why) -->', `${fence}ts`, 'x', fence].join('\n'), 'x.md')).toThrow(/unknown mark/);
  });

  it('refuses a fence that is never closed', () => {
    expect(() => extractSnippets(`${fence}ts\nconst a = 1;\n`, 'x.md')).toThrow(/x\.md:1: a fence that is never closed/);
  });
});
