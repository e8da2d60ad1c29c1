import type { At } from '@sessions/core';
import type { Runner } from './context.js';
import { limit, live } from './fragments.js';
import { statement } from './statement.js';

/** Parameters of {@link listUsersStatement}. */
export interface ListUsersParams {
  /** The last user key of the previous page ('' for the first). */
  after: string;
  now: number;
  pageSize: number;
}

/** One page of the users that have a live session, in key order after `after`. */
export const listUsersStatement = statement<ListUsersParams, { user_key: string; user_id: string }>(
  (t, $) => `
SELECT DISTINCT ON (s.user_id) s.user_id AS user_key, coalesce(s.user_id_full, s.user_id) AS user_id FROM ${t.sessions} s
WHERE s.user_id > ${$('after')}::text AND ${live('s', $('now'))}
ORDER BY s.user_id LIMIT ${limit($('pageSize'))}`,
);

const PAGE_SIZE = 500;

/** Every user with a live session, once each, read in pages of 500. */
export async function* listUsers(runner: Runner, request: At): AsyncIterable<string> {
  let after = '';
  for (;;) {
    const rows = await runner.run(listUsersStatement, { after, now: request.now, pageSize: PAGE_SIZE });
    for (const row of rows) yield row.user_id;
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE_SIZE) return;
    after = last.user_key;
  }
}
