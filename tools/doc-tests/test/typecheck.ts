import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

/** One compiler error in a generated snippet file. */
export interface Diagnostic {
  /** The generated file, as given to {@link typecheck}. */
  file: string;
  /** 1-based line in that file. */
  line: number;
  text: string;
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const ERROR_LINE = /^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/;

/**
 * Typechecks `files` (absolute paths inside `dir`) in one `tsc` run with the repository's
 * compiler settings (`tsconfig.base.json`: strict, `noUncheckedIndexedAccess`, `nodenext`, the
 * `@sessions/source` condition so workspace packages resolve to their sources). Two settings
 * differ, both for snippets only: every file is a module of its own (`moduleDetection: force`,
 * so two snippets may both declare `store`), and an unused local is allowed (a snippet names a
 * result to show what a call returns). Returns the errors in `files`; errors in the packages'
 * own sources are their typecheck's business, not the docs'. An error of no file (the
 * configuration) is returned with `file: ''`.
 */
export async function typecheck(dir: string, files: string[]): Promise<Diagnostic[]> {
  const base = relative(dir, join(import.meta.dirname, '..', '..', '..', 'tsconfig.base.json'));
  const config = {
    extends: base,
    compilerOptions: {
      composite: false,
      incremental: false,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      noEmit: true,
      moduleDetection: 'force',
      noUnusedLocals: false,
    },
    files: files.map((file) => relative(dir, file)),
  };
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(config, null, 2)}\n`);
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', () => resolve(text));
  });
  const diagnostics: Diagnostic[] = [];
  for (const text of output.split('\n')) {
    const error = ERROR_LINE.exec(text);
    if (error) {
      diagnostics.push({ file: join(dir, error[1]!), line: Number(error[2]), text: error[4]! });
    } else if (/^error TS\d+/.test(text)) {
      diagnostics.push({ file: '', line: 0, text }); // the configuration itself: fails every snippet
    } else if (text.startsWith(' ') && diagnostics.length > 0) {
      diagnostics.at(-1)!.text += `\n${text}`; // a continuation of the previous message
    }
  }
  const ours = new Set(files);
  return diagnostics.filter((d) => d.file === '' || ours.has(d.file));
}
