import type { ListCursor, ListRequest, SessionInfo } from '@sessions/core';
import type { Runner } from './context.js';
import { PostgresDriverError } from './errors.js';
import { at, limit, live, sessionColumns, type SessionRow } from './fragments.js';
import { storageKey } from './ids.js';
import { toSessionInfo } from './rows.js';
import { statement } from './statement.js';

/** Parameters of {@link listFirstPageStatement}. */
export interface ListParams {
  user: string;
  now: number;
  /** Rows to read: the page size plus one, so the store knows whether more follow. */
  rows: number;
}

/** Parameters of {@link listNextPageStatement}: the cursor's position too. */
export interface ListAfterParams extends ListParams {
  cursorUpdatedAt: number;
  /** The storage key of the cursor's session id. */
  cursorId: string;
}

/**
 * The first page of a user's live sessions, newest `updatedAt` first, ties by id: an index
 * scan of `sessions_list_idx`. `NULLS LAST` is the index's own order: a bare `DESC` means
 * `NULLS FIRST`, which the index cannot serve, and the planner would sort every session of
 * the user instead.
 */
export const listFirstPageStatement = statement<ListParams, SessionRow>(
  (t, $) => `
SELECT ${sessionColumns('s')} FROM ${t.sessions} s
WHERE s.user_id = ${$('user')} AND ${live('s', $('now'))}
ORDER BY s.updated_at DESC NULLS LAST, s.id LIMIT ${limit($('rows'))}`,
);

/**
 * The page after a cursor `(updatedAt, id)`: the index scan starts at the cursor's `updatedAt`
 * (a keyset seek, not an offset) and skips the ties up to its id.
 */
export const listNextPageStatement = statement<ListAfterParams, SessionRow>(
  (t, $) => `
SELECT ${sessionColumns('s')} FROM ${t.sessions} s
WHERE s.user_id = ${$('user')} AND ${live('s', $('now'))}
  AND s.updated_at <= ${at($('cursorUpdatedAt'))} AND (s.updated_at < ${at($('cursorUpdatedAt'))} OR s.id > ${$('cursorId')}::text)
ORDER BY s.updated_at DESC NULLS LAST, s.id LIMIT ${limit($('rows'))}`,
);

// The latest instant a JavaScript Date holds: no session of this store is updated later.
const MAX_DATE_MS = 8.64e15;

/** One keyset page of a user's live sessions (up to `limit + 1`). */
export async function list(runner: Runner, request: ListRequest): Promise<SessionInfo[]> {
  const params = { user: storageKey(request.userId), now: request.now, rows: request.limit + 1 };
  const rows = request.cursor
    ? await runner.run(listNextPageStatement, { ...params, ...cursorParams(request.cursor) })
    : await runner.run(listFirstPageStatement, params);
  return rows.map(toSessionInfo);
}

function cursorParams(cursor: ListCursor): Pick<ListAfterParams, 'cursorUpdatedAt' | 'cursorId'> {
  // A page's cursor holds a real updatedAt; anything else was made by hand, and is the
  // caller's mistake rather than something a retry could fix.
  if (cursor.updatedAt < 0 || cursor.updatedAt > MAX_DATE_MS) {
    throw new PostgresDriverError('INVALID_ARGUMENT', 'cursor is not one listSessions returned (its time is out of range); start again without a cursor');
  }
  return { cursorUpdatedAt: cursor.updatedAt, cursorId: storageKey(cursor.id) };
}
