import { storeErrors } from '../errors.js';
import type { SessionStore } from '../store.js';
import type { JsonObject, StoredMessage } from '../types.js';
import { parseBodyLine, parseHeader } from './format.js';
import { splitLines, type LineSource } from './lines.js';
import { SessionWriter } from './session-writer.js';
import type { TransferResult, WriteSessionsOptions } from './types.js';

const importErrors = storeErrors('import');

/**
 * Imports an export made by {@link exportSessions} (a file stream, or the lines themselves)
 * into `store`, keeping ids, seqs, timestamps and metadata, with `restoreSession` and batched
 * `restoreMessages`. Streamed: memory stays at one batch.
 *
 * A bad header, an unsupported version or a malformed line is `INVALID_ARGUMENT` naming the
 * line; so is a file without its `end` line (truncated), found at the end: what came before
 * it has been written, so re-run with `onExisting: "resume"` on the complete file.
 *
 * @example
 * const result = await importSessions(store, createReadStream('sessions.jsonl'), { onExisting: 'resume' });
 */
export async function importSessions<M extends JsonObject>(
  store: SessionStore<M>,
  source: LineSource,
  options: WriteSessionsOptions = {},
): Promise<TransferResult> {
  const writer = new SessionWriter(store, options, importErrors);
  let sawHeader = false;
  let end: { sessions: number; messages: number; line: number } | undefined;
  let lastLine = 0;
  let sessions = 0;
  let messages = 0;
  let batch: StoredMessage<M>[] = [];
  for await (const { text, number } of splitLines(source)) {
    lastLine = number;
    if (!sawHeader) {
      parseHeader(text, number);
      sawHeader = true;
      continue;
    }
    if (end) throw importErrors.invalid(`line ${number}: data after the end line (line ${end.line})`);
    const parsed = parseBodyLine(text, number);
    if (parsed.type === 'message') {
      if (sessions === 0) throw importErrors.invalid(`line ${number}: a message line before any session line`);
      messages++;
      batch.push(parsed.message as StoredMessage<M>);
      if (batch.length >= 1000) {
        await writer.messages(batch);
        batch = [];
      }
      continue;
    }
    await writer.messages(batch);
    batch = [];
    if (parsed.type === 'session') {
      sessions++;
      await writer.session(parsed.userId, parsed.snapshot);
    } else {
      end = { sessions: parsed.sessions, messages: parsed.messages, line: number };
    }
  }
  await writer.messages(batch);
  if (!sawHeader) throw importErrors.invalid('the input is empty: expected an @sessions/export header on line 1');
  const result = await writer.finish();
  if (!end) {
    throw importErrors.invalid(`the export ends at line ${lastLine} without its end line: it is truncated. What came before was imported; import the complete file with onExisting: "resume"`);
  }
  if (end.sessions !== sessions || end.messages !== messages) {
    throw importErrors.invalid(`line ${end.line}: the end line counts ${end.sessions} sessions and ${end.messages} messages but the file holds ${sessions} and ${messages}; the file was edited or damaged`);
  }
  return result;
}
