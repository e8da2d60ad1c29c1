import type { IncomingMessage } from 'node:http';
import { EXPORT_FORMAT, EXPORT_VERSION, type JsonObject, type SessionInfo, type SessionStore, type StoredMessage } from '@sessions/core';
import { HttpError } from './errors.js';

/** Users shown per page of the user list. */
export const USERS_PAGE = 100;
/** Messages shown per page of a transcript. */
export const MESSAGES_PAGE = 100;
/** Largest request body accepted (metadata is at most 64 KiB encoded). */
const MAX_BODY_BYTES = 256 * 1024;

/** A session as the page receives it: dates as ISO strings. */
export interface SessionView {
  userId: string;
  id: string;
  metadata: JsonObject;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  messageCount: number;
  lastSeq: number;
}

/** A message as the page receives it. */
export interface MessageView {
  seq: number;
  createdAt: string;
  message: JsonObject;
}

export function sessionView(info: SessionInfo): SessionView {
  return {
    userId: info.userId,
    id: info.id,
    metadata: info.metadata,
    createdAt: info.createdAt.toISOString(),
    updatedAt: info.updatedAt.toISOString(),
    expiresAt: info.expiresAt?.toISOString() ?? null,
    messageCount: info.messageCount,
    lastSeq: info.lastSeq,
  };
}

export function messageView(stored: StoredMessage): MessageView {
  return { seq: stored.seq, createdAt: stored.createdAt.toISOString(), message: stored.message };
}

/**
 * Up to {@link USERS_PAGE} users after `after` (users come in the store's own order, which is
 * stable for a store between calls), or the one user whose id matches `search` exactly.
 */
export async function listUsers(store: SessionStore, after: string | null, search: string | null): Promise<{ users: string[]; more: boolean }> {
  if (search) {
    const page = await store.listSessions(search, { limit: 1 });
    return { users: page.items.length > 0 ? [search] : [], more: false };
  }
  const users: string[] = [];
  let skipping = after !== null;
  for await (const user of store.listUsers()) {
    if (skipping) {
      if (user === after) skipping = false;
      continue;
    }
    if (users.length === USERS_PAGE) return { users, more: true };
    users.push(user);
  }
  return { users, more: false };
}

/** One keyset page of a user's sessions, or the one session whose id matches `search`. */
export async function listSessions(store: SessionStore, userId: string, cursor: string | null, search: string | null) {
  if (search) {
    const session = await store.getSession(userId, search, { limit: 0 });
    return { sessions: session ? [sessionView(session)] : [], nextCursor: null };
  }
  const page = await store.listSessions(userId, { limit: 50, cursor });
  return { sessions: page.items.map(sessionView), nextCursor: page.nextCursor };
}

/** A session with its newest messages before `beforeSeq` (a page at a time, oldest first). */
export async function readTranscript(store: SessionStore, userId: string, sessionId: string, beforeSeq: number | undefined) {
  const session = await store.getSession(userId, sessionId, { limit: 0 });
  if (!session) throw new HttpError(404, 'NOT_FOUND', `session ${JSON.stringify(sessionId)} of user ${JSON.stringify(userId)} does not exist (or has expired)`, 'Go back to the list and reload.');
  const messages = await store.getMessages(userId, sessionId, { limit: MESSAGES_PAGE, ...(beforeSeq !== undefined && { beforeSeq }) });
  const first = messages[0];
  return { session: sessionView(session), messages: messages.map(messageView), more: first !== undefined && messages.length === MESSAGES_PAGE };
}

/**
 * The export of one session in the `@sessions/export` JSON Lines format (what `sessions
 * import` reads), streamed a page at a time. The caller checks the session exists first.
 */
export async function* exportOne(store: SessionStore, session: SessionInfo): AsyncGenerator<string> {
  yield JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date().toISOString() }) + '\n';
  const { messageCount: _count, ...line } = sessionView(session);
  yield JSON.stringify({ type: 'session', ...line }) + '\n';
  let messages = 0;
  let page = '';
  for await (const stored of store.readHistory(session.userId, session.id)) {
    page += JSON.stringify({ type: 'message', ...messageView(stored) }) + '\n';
    if (++messages % 500 === 0) {
      yield page;
      page = '';
    }
  }
  yield page + JSON.stringify({ type: 'end', sessions: 1, messages }) + '\n';
}

/** Reads a JSON object body, bounded in size. */
export async function readJsonBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'TOO_LARGE', 'the request body is too large', 'Metadata is limited to 64 KiB.');
    chunks.push(buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'INVALID_ARGUMENT', 'the request body is not valid JSON', 'Check the JSON you typed.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'INVALID_ARGUMENT', 'the request body must be a JSON object', 'Check the JSON you typed.');
  }
  return value as Record<string, unknown>;
}
