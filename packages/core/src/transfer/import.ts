import { isSessionStoreError, storeErrors } from '../errors.js';
import type { SessionStore } from '../store.js';
import type { JsonObject, StoredMessage } from '../types.js';
import { checkExisting, resumeConflict, type HeldSession } from './existing-session.js';
import { readExport } from './import-reader.js';
import type { LineSource } from './lines.js';
import { SessionWriter } from './session-writer.js';
import type { TransferProgress, TransferResult, WriteSessionsOptions } from './types.js';

const importErrors = storeErrors('import');

/** Messages per write batch handed to the writer while reading an export. */
const READ_BATCH = 1000;

/** Options of {@link importSessions}. */
export interface ImportOptions extends WriteSessionsOptions {
  /**
   * The only user this import may write: a session line of any other user is refused
   * (`INVALID_ARGUMENT`). Use it whenever the file comes from someone else.
   * @default undefined (every user named in the file)
   */
  userId?: string;
  /** Called during the check pass (a re-readable source only) with the counts read so far. */
  onCheck?: (progress: TransferProgress) => void;
}

/** An export to import: lines to read once, or a function giving them afresh for each read. */
export type ImportSource = LineSource | (() => LineSource);

/**
 * Imports an export made by {@link exportSessions} into `store`, keeping ids, seqs, timestamps
 * and metadata, with `restoreSession` and batched `restoreMessages`. Streamed: memory stays at
 * one batch (plus a few numbers per session during the check).
 *
 * Give a function that opens the source (`() => createReadStream(path)`) and the import reads
 * it twice: first a check that writes nothing (the format of every line, the target user, the
 * end line and its counts, and each session already in the target against `onExisting`), then
 * the writes. So a file with a bad line, another user's session, a missing end, or a session
 * that would be written into a live one is refused with nothing written. Give the lines
 * themselves (a stream read once) and each line is checked just before it is written, so a bad
 * line stops the import after what came before it was written.
 *
 * @example
 * const result = await importSessions(store, () => createReadStream('alice.jsonl'), { userId: 'alice', onExisting: 'resume' });
 */
export async function importSessions<M extends JsonObject>(
  store: SessionStore<M>,
  source: ImportSource,
  options: ImportOptions = {},
): Promise<TransferResult> {
  if (typeof source !== 'function') return writeImport(store, source, options, false);
  try {
    await checkImport(store, source(), options);
  } catch (error) {
    throw nothingWritten(error);
  }
  return writeImport(store, source(), options, true);
}

/**
 * The check pass: reads the whole export, writes nothing. Returns the totals it will write, at
 * most (sessions and messages in the file).
 */
async function checkImport<M extends JsonObject>(store: SessionStore<M>, source: LineSource, options: ImportOptions): Promise<TransferProgress> {
  const onExisting = options.onExisting ?? 'error';
  const totals = { sessions: 0, messages: 0 };
  let open: { userId: string; id: string; held: HeldSession; upToHeld: number } | undefined;
  const closeSession = () => {
    if (open && open.upToHeld !== open.held.messageCount) {
      throw resumeConflict(
        importErrors,
        open.userId,
        open.id,
        `the target holds ${open.held.messageCount} messages up to seq ${open.held.highestSeq} where the file has ${open.upToHeld}: it was written to after the earlier import`,
      );
    }
    open = undefined;
  };
  for await (const item of readExport(source, options, importErrors)) {
    if (item.type === 'session') {
      closeSession();
      totals.sessions++;
      const held = await checkExisting(store, item.userId, item.snapshot, onExisting, importErrors);
      if (held) open = { userId: item.userId, id: item.snapshot.id, held, upToHeld: 0 };
    } else {
      totals.messages++;
      if (open && item.message.seq <= open.held.highestSeq) open.upToHeld++;
    }
    if (options.onCheck && (item.type === 'session' || totals.messages % READ_BATCH === 0)) options.onCheck({ ...totals });
  }
  closeSession();
  options.onCheck?.({ ...totals });
  return totals;
}

/** The write pass (or the only pass, for a source read once). */
async function writeImport<M extends JsonObject>(store: SessionStore<M>, source: LineSource, options: ImportOptions, checked: boolean): Promise<TransferResult> {
  const writer = new SessionWriter(store, options, importErrors);
  let batch: StoredMessage<M>[] = [];
  try {
    for await (const item of readExport(source, options, importErrors)) {
      if (item.type === 'message') {
        batch.push(item.message as StoredMessage<M>);
        if (batch.length >= READ_BATCH) {
          await writer.messages(batch);
          batch = [];
        }
        continue;
      }
      await writer.messages(batch);
      batch = [];
      await writer.session(item.userId, item.snapshot);
    }
    await writer.messages(batch);
    return await writer.finish();
  } catch (error) {
    const written = writer.totals;
    if (checked || (written.sessions === 0 && written.messages === 0)) throw error;
    // Read once: what came before the failure is in the store. Say so, and how to finish.
    const code = isSessionStoreError(error) ? error.code : 'UNAVAILABLE';
    throw importErrors.make(
      code,
      `${messageOf(error)}. ${written.sessions} sessions and ${written.messages} messages before it were written; fix the file and import it again with onExisting "resume" to finish`,
      error,
    );
  }
}

/** The check pass's error, saying that nothing was written. */
function nothingWritten(error: unknown): unknown {
  if (!isSessionStoreError(error)) return importErrors.unavailable(`checking the import failed (see cause); nothing was written`, error);
  return importErrors.make(error.code, `${messageOf(error)}; nothing was written`, error);
}

/** The message without the `[sessions] [import]` prefix the new error adds again. */
function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^\[sessions\] \[[^\]]*\] /, '');
}
