import { once } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { isSessionStoreError, storeErrors } from '../errors.js';
import type { SessionStore } from '../store.js';
import type { JsonObject } from '../types.js';
import { endLine, headerLine, messageLine, sessionLine } from './format.js';
import { readSessions } from './read-store.js';
import type { ReadSessionsOptions, TransferProgress } from './types.js';

const exportErrors = storeErrors('export');

/** Size of the chunks `writeExport` writes, in UTF-16 units. */
const WRITE_CHUNK_CHARS = 64 * 1024;

/** Options of {@link exportSessions}. */
export interface ExportOptions extends ReadSessionsOptions {
  /** The header's `exportedAt`. @default now */
  exportedAt?: Date;
}

/**
 * Exports sessions as JSON Lines. Each yielded string holds one or more whole lines, each
 * ending in `\n` (the messages of one page come as one string); concatenated, they are the
 * file. The lines: a header
 * `{"format":"@sessions/export","version":1,"exportedAt":...}`, then per session a `session`
 * line followed by its `message` lines (oldest first), then an `end` line with the totals.
 * Streamed page by page: memory stays constant however much the store holds.
 *
 * @example
 * await pipeline(Readable.from(exportSessions(store)), createWriteStream('sessions.jsonl'));
 */
export async function* exportSessions<M extends JsonObject>(
  store: SessionStore<M>,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  yield headerLine(options.exportedAt ?? new Date()) + '\n';
  let sessions = 0;
  let messages = 0;
  for await (const item of readSessions(store, options)) {
    if (item.kind === 'session') {
      sessions++;
      yield sessionLine(item.userId, item.snapshot) + '\n';
    } else {
      // A page of lines per string: a yield per line would triple the export's time.
      let text = '';
      for (const stored of item.messages) text += messageLine(stored) + '\n';
      messages += item.messages.length;
      yield text;
    }
  }
  yield endLine(sessions, messages) + '\n';
}

/**
 * Writes an export to a writable stream, waiting for `drain` when the stream is full, and
 * returns the totals. The stream is left open (end it yourself, or use {@link exportToFile}).
 */
export async function writeExport<M extends JsonObject>(
  store: SessionStore<M>,
  writable: Writable,
  options: ExportOptions = {},
): Promise<TransferProgress> {
  let totals: TransferProgress = { sessions: 0, messages: 0 };
  const onProgress = (progress: TransferProgress) => {
    totals = progress;
    options.onProgress?.(progress);
  };
  let failure: unknown;
  const onError = (error: unknown) => (failure ??= error);
  writable.on('error', onError);
  try {
    // Lines are gathered into chunks of about 64 KiB: one write per line would cost more than the export.
    let chunk = '';
    const flush = async () => {
      if (failure !== undefined) throw failure;
      const ok = writable.write(chunk);
      chunk = '';
      if (!ok) await drained(writable);
    };
    for await (const line of exportSessions(store, { ...options, onProgress })) {
      chunk += line;
      if (chunk.length >= WRITE_CHUNK_CHARS) await flush();
    }
    if (chunk.length > 0) await flush();
    if (failure !== undefined) throw failure;
  } catch (error) {
    if (isSessionStoreError(error)) throw error;
    throw exportErrors.unavailable('writing the export failed (see cause); check the output stream or file', error);
  } finally {
    writable.off('error', onError);
  }
  return totals;
}

/** Resolves on `drain`; rejects when the stream fails or closes first. Cleans up its listeners. */
function drained(writable: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: unknown) => {
      writable.off('drain', onDrain).off('error', onError).off('close', onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onDrain = () => done();
    const onError = (error: unknown) => done(error);
    const onClose = () => done(exportErrors.unavailable('the output stream closed before the export was fully written', undefined));
    writable.on('drain', onDrain).on('error', onError).on('close', onClose);
  });
}

/** Options of {@link exportToFile}. */
export interface ExportToFileOptions extends ExportOptions {
  /**
   * The file's permission bits, set before anything is written, on a new file and on an
   * existing one alike. An export holds whole conversations in clear (decrypted, when the store
   * decrypts), so by default only its owner may read it.
   * @default 0o600
   */
  mode?: number;
}

/**
 * Exports to a file (created or truncated, readable by its owner only unless `mode` says
 * otherwise), and returns the totals once it is fully written.
 */
export async function exportToFile<M extends JsonObject>(
  store: SessionStore<M>,
  path: string,
  options: ExportToFileOptions = {},
): Promise<TransferProgress> {
  const { mode = 0o600, ...exportOptions } = options;
  let handle: FileHandle;
  try {
    handle = await open(path, 'w', mode);
    // `open` applies the mode to a new file only: an existing one keeps its bits unless set here.
    await handle.chmod(mode);
  } catch (error) {
    throw exportErrors.unavailable(`cannot write the export to ${path}: ${error instanceof Error ? error.message : String(error)}`, error);
  }
  const file = handle.createWriteStream();
  try {
    const totals = await writeExport(store, file, exportOptions);
    file.end();
    await once(file, 'finish');
    return totals;
  } catch (error) {
    file.destroy();
    if (isSessionStoreError(error)) throw error;
    throw exportErrors.unavailable(`writing the export to ${path} failed (see cause)`, error);
  }
}
