/**
 * What the runner does with a snippet:
 * - `run`: typecheck, then execute against the test servers (the default);
 * - `typecheck-only`: typecheck, never execute (marked `<!-- doc-test: typecheck-only (why) -->`);
 * - `skip`: neither (marked `<!-- doc-test: skip (why) -->`);
 * - `quoted`: a copy of a repository file (marked `<!-- quoted from <path> -->`): checked to equal
 *   that file, which its own package's typecheck and tests compile and run.
 */
export type SnippetMode = 'run' | 'typecheck-only' | 'skip' | 'quoted';

/** One fenced TypeScript block of a Markdown file. */
export interface Snippet {
  /** The Markdown file, relative to the repository root (`packages/redis/README.md`). */
  file: string;
  /** 1-based line of the opening fence: the snippet's first line is `line + 1`. */
  line: number;
  /** The code between the fences, with the fence's indentation removed, ending in a newline. */
  code: string;
  mode: SnippetMode;
  /** Why a snippet is not run (from its mark). */
  reason?: string;
  /** For `quoted`: the repository path the snippet copies. */
  quotedFrom?: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const DOC_TEST_MARK = /^<!--\s*doc-test:\s*(.*?)\s*-->$/;
const MARK_WITH_REASON = /^(typecheck-only|skip)\s*\((.+)\)$/;
const QUOTED_MARK = /^<!--\s*quoted from (\S+)\s*-->$/;
const TS_LANGUAGES = new Set(['ts', 'typescript']);

/** The marks (HTML comments) written right before a fence: blank lines may sit between them. */
function marksBefore(lines: string[], fenceIndex: number): string[] {
  const marks: string[] = [];
  for (let i = fenceIndex - 1; i >= 0; i--) {
    const text = lines[i]!.trim();
    if (text === '') continue;
    if (!text.startsWith('<!--')) break;
    marks.unshift(text);
  }
  return marks;
}

function modeOf(marks: string[], where: string): Pick<Snippet, 'mode' | 'reason' | 'quotedFrom'> {
  let result: Pick<Snippet, 'mode' | 'reason' | 'quotedFrom'> = { mode: 'run' };
  for (const mark of marks) {
    const quoted = QUOTED_MARK.exec(mark);
    if (quoted) {
      result = { mode: 'quoted', quotedFrom: quoted[1]! };
      continue;
    }
    const directive = DOC_TEST_MARK.exec(mark);
    if (!directive) continue; // another comment, not ours
    const parsed = MARK_WITH_REASON.exec(directive[1]!);
    // A mark the runner does not understand would silently run (or skip) the snippet: refuse it.
    if (!parsed) throw new Error(`${where}: unknown mark "${mark}": use <!-- doc-test: typecheck-only (why) --> or <!-- doc-test: skip (why) -->`);
    result = { mode: parsed[1] as 'typecheck-only' | 'skip', reason: parsed[2]!.trim() };
  }
  return result;
}

/** Every ```ts (or ```typescript) fenced block of `markdown`, with what its marks ask for. */
export function extractSnippets(markdown: string, file: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = '', language = ''] = open;
    // The closing fence: the same character, at least as long, nothing after it.
    const closing = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end]!)) end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}: a fence that is never closed`);
    if (TS_LANGUAGES.has(language)) {
      const body = lines.slice(i + 1, end).map((text) => (text.startsWith(indent) ? text.slice(indent.length) : text.trimStart()));
      snippets.push({ file, line: i + 1, code: `${body.join('\n')}\n`, ...modeOf(marksBefore(lines, i), `${file}:${i + 1}`) });
    }
    i = end;
  }
  return snippets;
}
