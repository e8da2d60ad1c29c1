import { createReadStream } from 'node:fs';
import { exportToFile, importSessions, writeExport, type SessionStore } from '@sessions/core';
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
 * flat whatever the store holds. Progress goes to stderr, never into the export.
 */
export async function exportCommand(store: SessionStore, out: Output, options: ExportCommandOptions): Promise<void> {
  const progress = createProgress(out, 'export');
  const common = { ...(options.user && { userIds: options.user }), onProgress: (p: { sessions: number; messages: number }) => progress.update(p) };
  try {
    const totals = options.out ? await exportToFile(store, options.out, common) : await writeExport(store, out.stdout, common);
    progress.stop();
    if (options.out) out.result({ file: options.out, ...totals }, () => `exported ${totals.sessions} sessions, ${totals.messages} messages to ${options.out}`);
  } catch (error) {
    progress.stop();
    throw error;
  }
}

/** Options of `sessions import`. */
export interface ImportCommandOptions {
  in?: string;
  onExisting: 'skip' | 'error' | 'resume';
  stdin: NodeJS.ReadableStream;
}

/** `sessions import`: reads JSON Lines from a file or stdin, streamed, and restores each session exactly. */
export async function importCommand(store: SessionStore, out: Output, options: ImportCommandOptions): Promise<void> {
  const progress = createProgress(out, 'import');
  const source = options.in ? createReadStream(options.in) : options.stdin;
  if (options.in) {
    // Surface a missing file as one clear line rather than a stream error mid-import.
    await new Promise<void>((resolve, reject) => {
      (source as ReturnType<typeof createReadStream>).once('open', () => resolve()).once('error', (e) => reject(new CliError(`cannot read ${options.in}: ${e.message}`)));
    });
  }
  try {
    const result = await importSessions(store, source as AsyncIterable<string | Buffer>, {
      onExisting: options.onExisting,
      onProgress: (p) => progress.update(p),
    });
    progress.stop();
    out.result(result, () =>
      `imported ${result.sessions} sessions, ${result.messages} messages` +
      (result.skippedSessions || result.skippedMessages ? ` (skipped ${result.skippedSessions} sessions, ${result.skippedMessages} messages)` : ''),
    );
  } catch (error) {
    progress.stop();
    throw error;
  }
}
