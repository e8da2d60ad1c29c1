import type { ReadRequest, StoredEntry } from '@sessions/core';
import { sessionKey, type Runner, type SessionKey } from './context.js';
import { limit, live, ms, type MessageRow } from './fragments.js';
import { toEntry } from './rows.js';
import { statement } from './statement.js';
import type { Placeholder } from './statement.js';
import type { TableNames } from './tables.js';

// Exclusive upper bound of seqs when no beforeSeq is given: above every safe integer.
const NO_UPPER_SEQ = 2 ** 53;

/** Parameters of both range reads. */
export interface ReadParams extends SessionKey {
  /** Exclusive bounds. */
  afterSeq: number;
  beforeSeq: number;
  now: number;
  /** null = the whole range. */
  limit: number | null;
}

const range = (t: TableNames, $: Placeholder<ReadParams>) => `
  WHERE m.user_id = ${$('user')} AND m.session_id = ${$('session')} AND m.seq > ${$('afterSeq')}::bigint AND m.seq < ${$('beforeSeq')}::bigint
    AND EXISTS (SELECT 1 FROM ${t.sessions} s WHERE s.user_id = ${$('user')} AND s.id = ${$('session')} AND ${live('s', $('now'))})`;

/**
 * The newest `limit` messages of a seq range of a live session, oldest first: a backward
 * index range scan of at most `limit` rows, whatever the session's length.
 */
export const readNewestStatement = statement<ReadParams, MessageRow>(
  (t, $) => `
SELECT seq::float8 AS seq, ${ms('created_at')} AS created_at, message::text AS message FROM (
  SELECT m.seq, m.created_at, m.message FROM ${t.messages} m${range(t, $)}
  ORDER BY m.seq DESC LIMIT ${limit($('limit'))}
) newest ORDER BY seq`,
);

/** The oldest `limit` messages of the range (for paging forward). */
export const readOldestStatement = statement<ReadParams, MessageRow>(
  (t, $) => `
SELECT m.seq::float8 AS seq, ${ms('m.created_at')} AS created_at, m.message::text AS message
FROM ${t.messages} m${range(t, $)}
ORDER BY m.seq LIMIT ${limit($('limit'))}`,
);

/** Entries of a seq range of a live session, oldest first; `[]` for a missing one. */
export async function read(runner: Runner, request: ReadRequest): Promise<StoredEntry[]> {
  const params: ReadParams = {
    ...sessionKey(request),
    afterSeq: request.afterSeq ?? 0,
    beforeSeq: request.beforeSeq ?? NO_UPPER_SEQ,
    now: request.now,
    limit: request.limit ?? null,
  };
  const rows = await runner.run(request.from === 'end' && request.limit !== undefined ? readNewestStatement : readOldestStatement, params);
  return rows.map(toEntry);
}
