import { encodeListCursor, type JsonObject, type ListCursor, type Page, type Session, type SessionInfo, type StoredMessage } from '@sessions/core';
import { mapDriverError } from './errors.js';
import type { MessageRow, SessionRow } from './queries/fragments.js';
import type { SessionWithMessageRow } from './queries/get-session.js';
import { toSessionInfo, toStoredMessage } from './rows.js';
import type { StoreContext } from './store-context.js';

// Exclusive upper bound of seqs when no beforeSeq is given: above every safe integer.
const NO_UPPER_SEQ = 2 ** 53;
const LIST_USERS_PAGE = 500;

async function run<M extends JsonObject, R extends Record<string, unknown>>(
  ctx: StoreContext<M>,
  operation: string,
  text: string,
  params: unknown[],
): Promise<R[]> {
  try {
    return await ctx.db.query<R>(text, params);
  } catch (error) {
    throw mapDriverError(error, operation);
  }
}

/** A live session with its newest `limit` messages (all when `undefined`), in one statement. */
export async function readSession<M extends JsonObject>(
  ctx: StoreContext<M>,
  userId: string,
  sessionId: string,
  limit: number | undefined,
): Promise<Session<M> | null> {
  const rows = await run<M, SessionWithMessageRow>(ctx, 'getSession', ctx.q.getSession, [userId, sessionId, ctx.clock(), limit ?? null]);
  const head = rows.find((r): r is SessionWithMessageRow & { metadata: string } => r.metadata !== null);
  if (!head) return null;
  const messages = rows.flatMap((r) =>
    r.m_seq !== null && r.m_created_at !== null && r.m_message !== null ? [toStoredMessage<M>(r.m_seq, r.m_created_at, r.m_message)] : [],
  );
  return { ...toSessionInfo(head), messages };
}

/** A checked `getMessages` request. */
export interface MessagesRequest {
  userId: string;
  sessionId: string;
  limit: number | undefined;
  afterSeq: number | undefined;
  beforeSeq: number | undefined;
  from: 'start' | 'end';
}

/** Messages of a seq range of a live session, oldest first: at most `limit` rows read. */
export async function readMessages<M extends JsonObject>(ctx: StoreContext<M>, request: MessagesRequest): Promise<StoredMessage<M>[]> {
  const { userId, sessionId, limit, afterSeq, beforeSeq, from } = request;
  if (limit === 0) return [];
  const text = from === 'start' || limit === undefined ? ctx.q.getOldestMessages : ctx.q.getNewestMessages;
  const params = [userId, sessionId, afterSeq ?? 0, beforeSeq ?? NO_UPPER_SEQ, ctx.clock(), limit ?? null];
  const rows = await run<M, MessageRow>(ctx, 'getMessages', text, params);
  return rows.map((r) => toStoredMessage<M>(r.seq, r.created_at, r.message));
}

/** One `listSessions` page: reads one row more than `limit` to know whether another page follows. */
export async function listSessionsPage<M extends JsonObject>(
  ctx: StoreContext<M>,
  userId: string,
  limit: number,
  cursor: ListCursor | null,
): Promise<Page<SessionInfo>> {
  if (limit === 0) return { items: [], nextCursor: null };
  const now = ctx.clock();
  const rows = cursor
    ? await run<M, SessionRow>(ctx, 'listSessions', ctx.q.listSessionsNextPage, [userId, now, limit + 1, cursor.updatedAt, cursor.id])
    : await run<M, SessionRow>(ctx, 'listSessions', ctx.q.listSessionsFirstPage, [userId, now, limit + 1]);
  const items = rows.slice(0, limit).map(toSessionInfo);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeListCursor({ updatedAt: last.updatedAt.getTime(), id: last.id }) : null;
  return { items, nextCursor };
}

/** Every user with a live session, once each, in pages of 500; `isOpen` throws `CLOSED` before each page once the store is closed. */
export async function* listUserIds<M extends JsonObject>(ctx: StoreContext<M>, isOpen: () => void): AsyncIterable<string> {
  let after = '';
  for (;;) {
    isOpen();
    const rows = await run<M, { user_id: string }>(ctx, 'listUsers', ctx.q.listUsers, [after, ctx.clock(), LIST_USERS_PAGE]);
    for (const row of rows) yield row.user_id;
    if (rows.length < LIST_USERS_PAGE) return;
    after = rows.at(-1)?.user_id ?? after;
  }
}
