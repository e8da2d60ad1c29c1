import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { countSessions, exportToFile, importSessions, writeExport, type SessionStore, type TransferProgress } from '@sessions/core';
import { CliError } from '../cli-error.js';
import type { Output } from '../output.js';
import { createProgress } from '../progress.js';

/** Options of `sessions export`. */
export interface ExportCommandOptions {
  user?: string[];
  out?: string;
}

/**
 * `sessions export`: streams JSON Lines to a file or to stdout, page by page, so memory stays
 * flat whatever the store holds. A file is written readable by its owner only (0600): it holds
 * whole conversations, decrypted when the store is. Progress goes to stderr, never into the
 * export; on a terminal the sessions are counted first, so the bar knows its total.
 */
export async function exportCommand(store: SessionStore, out: Output, options: ExportCommandOptions): Promise<void> {
  const progress = createProgress(out, 'export');
  const users = options.user && { userIds: options.user };
  try {
    if (progress.drawn) progress.stage('export: counting');
    const total = progress.drawn ? await countSessions(store, users ?? {}) : undefined;
    progress.stage('export', total);
    const common = { ...users, onProgress: (p: TransferProgress) => progress.update(p) };
    const totals = options.out ? await exportToFile(store, options.out, common) : await writeExport(store, out.stdout, common);
    progress.stop();
    if (options.out) out.result({ file: options.out, ...totals }, () => `exported ${totals.sessions} sessions, ${totals.messages} messages to ${options.out}`);
  } catch (error) {
    progress.stop(true);
    throw error;
  }
}

/** Options of `sessions import`. */
export interface ImportCommandOptions {
  in?: string;
  onExisting: 'skip' | 'error' | 'resume';
  /** Import into this user only: a line of any other user is refused before anything is written. */
  user?: string;
  stdin: NodeJS.ReadableStream;
}

/**
 * `sessions import`: restores each session of a JSON Lines export exactly. The file is read
 * twice: first checked whole (every line, the target user, the end line, sessions the store
 * already holds), writing nothing, then written; so a file that would be refused leaves the
 * store untouched. Standard input is first copied to a private temporary file to be read twice.
 */
export async function importCommand(store: SessionStore, out: Output, options: ImportCommandOptions): Promise<void> {
  if (options.in === undefined && (options.stdin as NodeJS.ReadStream).isTTY) {
    out.note('reading the export from standard input: end it with Ctrl-D, or give --in FILE');
  }
  const spooled = options.in === undefined ? await spool(options.stdin) : undefined;
  const path = options.in ?? spooled!.path;
  try {
    if (options.in !== undefined) await checkReadable(options.in);
    const progress = createProgress(out, 'import');
    progress.stage('import: checking');
    let checked: TransferProgress | undefined;
    let writing = false;
    try {
      const result = await importSessions(store, () => createReadStream(path), {
        onExisting: options.onExisting,
        ...(options.user !== undefined && { userId: options.user }),
        onCheck: (p) => {
          checked = p;
          progress.update(p);
        },
        onProgress: (p) => {
          if (!writing) {
            writing = true;
            progress.stage('import', checked);
          }
          progress.update(p);
        },
      });
      progress.stop();
      out.result(result, () =>
        `imported ${result.sessions} sessions, ${result.messages} messages` +
        (result.skippedSessions || result.skippedMessages ? ` (skipped ${result.skippedSessions} sessions, ${result.skippedMessages} messages)` : ''),
      );
    } catch (error) {
      progress.stop(true);
      throw error;
    }
  } finally {
    if (spooled) await spooled.remove();
  }
}

/** A missing or unreadable file as one clear line, before any work. */
async function checkReadable(path: string): Promise<void> {
  try {
    await (await open(path, 'r')).close();
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Copies standard input to a temporary file only its owner can read, to be read twice. */
async function spool(stdin: NodeJS.ReadableStream): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'sessions-import-'));
  const path = join(dir, 'stdin.jsonl');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(stdin, createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await remove();
    throw new CliError(`cannot read the import from standard input: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { path, remove };
}
