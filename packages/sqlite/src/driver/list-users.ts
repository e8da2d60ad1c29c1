import type { At } from '@sessions/core';
import type { Database } from 'better-sqlite3';

/** Parameters of one page of user ids. */
export interface UsersPageParams {
  /** The last user id of the previous page ('' before the first). */
  afterUserId: string;
  now: number;
  limit: number;
}

/** User ids per statement: each page is a short read, so writers are never held up. */
export const USERS_PAGE_SIZE = 500;

const SQL = {
  // Walks the (user_id, id) unique index in order; a user appears once however many sessions.
  page: `SELECT DISTINCT s.user_id FROM sessions s
         WHERE s.user_id > @afterUserId AND (s.expires_at IS NULL OR s.expires_at > @now)
         ORDER BY s.user_id LIMIT @limit`,
};

/** `listUsers`: every user with a live session, each once, in pages of {@link USERS_PAGE_SIZE}. */
export function prepareListUsers(db: Database): (request: At) => AsyncIterable<string> {
  const page = db.prepare<UsersPageParams, { user_id: string }>(SQL.page);
  return async function* listUsers(request) {
    let afterUserId = '';
    for (;;) {
      const rows = page.all({ afterUserId, now: request.now, limit: USERS_PAGE_SIZE });
      for (const row of rows) yield row.user_id;
      const last = rows[rows.length - 1];
      if (!last || rows.length < USERS_PAGE_SIZE) return;
      afterUserId = last.user_id;
    }
  };
}
