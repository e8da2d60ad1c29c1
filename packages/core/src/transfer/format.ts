import { storeErrors } from '../errors.js';
import { isPlainObject } from '../json.js';
import type { JsonObject, SessionSnapshot, StoredMessage } from '../types.js';

/** The `format` field of an export's header line. */
export const EXPORT_FORMAT = '@sessions/export';
/** The export format version this code writes and reads. */
export const EXPORT_VERSION = 1;

/** Line 1 of an export. */
export interface ExportHeaderLine {
  format: typeof EXPORT_FORMAT;
  version: number;
  /** ISO 8601. */
  exportedAt: string;
}

/** A session record; its message lines follow it. Times are ISO 8601 strings. */
export interface ExportSessionLine {
  type: 'session';
  userId: string;
  id: string;
  metadata: JsonObject;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  lastSeq: number;
}

/** One message of the session line before it. */
export interface ExportMessageLine {
  type: 'message';
  seq: number;
  /** ISO 8601. */
  createdAt: string;
  message: JsonObject;
}

/** The last line: what the export holds, so an import can tell a whole file from a truncated one. */
export interface ExportEndLine {
  type: 'end';
  sessions: number;
  messages: number;
}

/** A parsed body line (every line after the header). */
export type ParsedLine =
  | { type: 'session'; userId: string; snapshot: SessionSnapshot }
  | { type: 'message'; message: StoredMessage<JsonObject> }
  | { type: 'end'; sessions: number; messages: number };

const importErrors = storeErrors('import');

/**
 * Characters JSON.stringify leaves raw that a terminal may act on: DEL, the C1 controls (U+009B
 * is a one-character CSI on some terminals), bidirectional controls, line and paragraph
 * separators. (It escapes C0 controls, ESC included, itself.)
 */
const TERMINAL_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g;
const HAS_TERMINAL_UNSAFE = new RegExp(TERMINAL_UNSAFE.source);

/**
 * JSON text with the characters of {@link TERMINAL_UNSAFE} written as `\uXXXX` escapes: the
 * same JSON value, but an export shown with `cat` or `less` cannot drive the terminal with
 * escape sequences stored in messages.
 */
function safeStringify(value: unknown): string {
  const text = JSON.stringify(value);
  // Such characters can only be inside JSON strings, where a \u escape means the same.
  if (!HAS_TERMINAL_UNSAFE.test(text)) return text;
  return text.replace(TERMINAL_UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The header line's text (no newline). */
export function headerLine(exportedAt: Date): string {
  const header: ExportHeaderLine = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: exportedAt.toISOString() };
  return JSON.stringify(header);
}

/** A session line's text (no newline). */
export function sessionLine(userId: string, snapshot: SessionSnapshot): string {
  const line: ExportSessionLine = {
    type: 'session',
    userId,
    id: snapshot.id,
    metadata: snapshot.metadata,
    createdAt: snapshot.createdAt.toISOString(),
    updatedAt: snapshot.updatedAt.toISOString(),
    expiresAt: snapshot.expiresAt === null ? null : snapshot.expiresAt.toISOString(),
    lastSeq: snapshot.lastSeq,
  };
  return safeStringify(line);
}

/** A message line's text (no newline). */
export function messageLine(stored: StoredMessage<JsonObject>): string {
  const line: ExportMessageLine = { type: 'message', seq: stored.seq, createdAt: stored.createdAt.toISOString(), message: stored.message };
  return safeStringify(line);
}

/** The end line's text (no newline). */
export function endLine(sessions: number, messages: number): string {
  const line: ExportEndLine = { type: 'end', sessions, messages };
  return JSON.stringify(line);
}

/** Checks line 1: the format name and a version this code reads. */
export function parseHeader(text: string, lineNumber: number): ExportHeaderLine {
  const value = parseJson(text, lineNumber);
  if (!isPlainObject(value) || value['format'] !== EXPORT_FORMAT) {
    throw importErrors.invalid(`line ${lineNumber}: not an ${EXPORT_FORMAT} file (the first line must be its header {"format":"${EXPORT_FORMAT}","version":${EXPORT_VERSION},...})`);
  }
  if (value['version'] !== EXPORT_VERSION) {
    throw importErrors.invalid(`line ${lineNumber}: export version ${JSON.stringify(value['version'])} is not supported; this version of @sessions/core reads version ${EXPORT_VERSION}`);
  }
  // Format and version, checked above, are all a reader relies on; TypeScript cannot narrow an
  // unknown object to the header type from those checks.
  return value as unknown as ExportHeaderLine;
}

/** Parses one body line; `INVALID_ARGUMENT` naming the line when it is not one of ours. */
export function parseBodyLine(text: string, lineNumber: number): ParsedLine {
  const value = parseJson(text, lineNumber);
  const fail = (what: string) => importErrors.invalid(`line ${lineNumber}: ${what}`);
  if (!isPlainObject(value)) throw fail('expected a JSON object');
  switch (value['type']) {
    case 'session': {
      const { userId, id, metadata, lastSeq } = value;
      if (typeof userId !== 'string' || typeof id !== 'string') throw fail('a session line needs string userId and id');
      if (!isPlainObject(metadata)) throw fail('a session line needs a metadata object');
      if (!isCount(lastSeq)) throw fail('a session line needs lastSeq, a non-negative integer');
      const expiresAt = value['expiresAt'] === null ? null : isoDate(value['expiresAt'], 'expiresAt', fail);
      const snapshot: SessionSnapshot = {
        id,
        metadata: metadata as JsonObject,
        createdAt: isoDate(value['createdAt'], 'createdAt', fail),
        updatedAt: isoDate(value['updatedAt'], 'updatedAt', fail),
        expiresAt,
        lastSeq,
      };
      return { type: 'session', userId, snapshot };
    }
    case 'message': {
      const { seq, message } = value;
      if (!isCount(seq) || seq < 1) throw fail('a message line needs seq, a positive integer');
      if (!isPlainObject(message)) throw fail('a message line needs a message object');
      const createdAt = isoDate(value['createdAt'], 'createdAt', fail);
      return { type: 'message', message: { seq, createdAt, message: message as JsonObject } };
    }
    case 'end': {
      const { sessions, messages } = value;
      if (!isCount(sessions) || !isCount(messages)) throw fail('the end line needs sessions and messages counts');
      return { type: 'end', sessions, messages };
    }
    default:
      throw fail(`unknown line type ${JSON.stringify(value['type']) ?? 'undefined'}; expected "session", "message" or "end"`);
  }
}

function parseJson(text: string, lineNumber: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The parser's own message quotes the text, which may be message content: leave it out.
    throw importErrors.invalid(`line ${lineNumber} is not valid JSON (is the file truncated or edited?)`);
  }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isoDate(value: unknown, name: string, fail: (what: string) => Error): Date {
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || !Number.isFinite(date.getTime())) throw fail(`${name} must be an ISO 8601 date string`);
  return date;
}
