import type { StoreErrors } from '../errors.js';
import type { JsonObject, SessionSnapshot, StoredMessage } from '../types.js';
import { parseBodyLine, parseHeader } from './format.js';
import { splitLines, type LineSource } from './lines.js';

/** One checked body line of an export, with its line number. */
export type ExportItem =
  | { type: 'session'; userId: string; snapshot: SessionSnapshot; line: number }
  | { type: 'message'; message: StoredMessage<JsonObject>; line: number };

/** What {@link readExport} checks besides the format. */
export interface ReadExportOptions {
  /** Refuse any session line of another user. */
  userId?: string | undefined;
}

/**
 * Reads an export line by line and yields its sessions and messages, checking everything the
 * file alone can tell: the header, each line's shape, that messages follow their session in
 * ascending seq order up to its `lastSeq`, the target user (`userId`), and at the end that the
 * end line is there and its counts match. Any of these is `INVALID_ARGUMENT` naming the line.
 * It writes nothing: the importer runs it once to check a whole file before writing, and again
 * to write.
 */
export async function* readExport(source: LineSource, options: ReadExportOptions, errors: StoreErrors): AsyncGenerator<ExportItem> {
  let sawHeader = false;
  let end: { sessions: number; messages: number; line: number } | undefined;
  let lastLine = 0;
  let sessions = 0;
  let messages = 0;
  let current: { userId: string; snapshot: SessionSnapshot; lastSeq: number } | undefined;
  for await (const { text, number } of splitLines(source)) {
    lastLine = number;
    if (!sawHeader) {
      parseHeader(text, number);
      sawHeader = true;
      continue;
    }
    if (end) throw errors.invalid(`line ${number}: data after the end line (line ${end.line})`);
    const parsed = parseBodyLine(text, number);
    if (parsed.type === 'message') {
      if (!current) throw errors.invalid(`line ${number}: a message line before any session line`);
      const { seq } = parsed.message;
      const where = `session ${JSON.stringify(current.snapshot.id)} of user ${JSON.stringify(current.userId)}`;
      if (seq <= current.lastSeq) throw errors.invalid(`line ${number}: message seq ${seq} of ${where} does not follow seq ${current.lastSeq}; messages must come in ascending seq order`);
      if (seq > current.snapshot.lastSeq) throw errors.invalid(`line ${number}: message seq ${seq} is above the lastSeq ${current.snapshot.lastSeq} of ${where}`);
      current.lastSeq = seq;
      messages++;
      yield { type: 'message', message: parsed.message, line: number };
    } else if (parsed.type === 'session') {
      if (options.userId !== undefined && parsed.userId !== options.userId) {
        throw errors.invalid(
          `line ${number}: session ${JSON.stringify(parsed.snapshot.id)} belongs to user ${JSON.stringify(parsed.userId)}, but this import is for user ${JSON.stringify(options.userId)} only`,
        );
      }
      sessions++;
      current = { userId: parsed.userId, snapshot: parsed.snapshot, lastSeq: 0 };
      yield { type: 'session', userId: parsed.userId, snapshot: parsed.snapshot, line: number };
    } else {
      end = { sessions: parsed.sessions, messages: parsed.messages, line: number };
    }
  }
  if (!sawHeader) throw errors.invalid('the input is empty: expected an @sessions/export header on line 1');
  if (!end) throw errors.invalid(`the export ends at line ${lastLine} without its end line: it is truncated`);
  if (end.sessions !== sessions || end.messages !== messages) {
    throw errors.invalid(`line ${end.line}: the end line counts ${end.sessions} sessions and ${end.messages} messages but the file holds ${sessions} and ${messages}; the file was edited or damaged`);
  }
}
