import type { ListRequest, SessionInfo } from '@sessions/core';
import type { Database } from 'better-sqlite3';
import { LIVE, SESSION_COLUMNS, toSessionInfo, type SessionRow } from './session-row.js';

/** Parameters of the first page of a user's sessions. */
export interface FirstPageParams {
  userId: string;
  now: number;
  limit: number;
}

/** Parameters of a later page: the keyset position of the previous page's last session. */
export interface NextPageParams extends FirstPageParams {
  cursorUpdatedAt: number;
  cursorId: string;
}

// Both walk sessions_list_idx (user_id, updated_at DESC, id) in its own order: a page costs
// its size, whatever the number of sessions before it.
const COLUMNS = SESSION_COLUMNS.split(', ').map((c) => `s.${c}`).join(', ');
const ORDER = 'ORDER BY s.updated_at DESC, s.id ASC LIMIT @limit';
const SQL = {
  first: `SELECT ${COLUMNS} FROM sessions s WHERE s.user_id = @userId AND ${LIVE} ${ORDER}`,
  next: `SELECT ${COLUMNS} FROM sessions s
         WHERE s.user_id = @userId AND ${LIVE}
           AND (s.updated_at < @cursorUpdatedAt OR (s.updated_at = @cursorUpdatedAt AND s.id > @cursorId))
         ${ORDER}`,
};

/** `list`: up to `limit + 1` live sessions of a user after the cursor (the store trims the extra one). */
export function prepareList(db: Database): (request: ListRequest) => SessionInfo[] {
  const first = db.prepare<FirstPageParams, SessionRow>(SQL.first);
  const next = db.prepare<NextPageParams, SessionRow>(SQL.next);
  return (request) => {
    const page = { userId: request.userId, now: request.now, limit: request.limit + 1 };
    const rows = request.cursor
      ? next.all({ ...page, cursorUpdatedAt: request.cursor.updatedAt, cursorId: request.cursor.id })
      : first.all(page);
    return rows.map(toSessionInfo);
  };
}
