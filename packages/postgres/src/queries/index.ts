import { appendExistingSql, appendOrCreateSql } from './append.js';
import { appendStateSql } from './append-state.js';
import { clearSessionSql } from './clear-session.js';
import { createSessionSql } from './create-session.js';
import { deleteSessionSql, deleteUserSql } from './delete-session.js';
import { forkSessionSql, lockForkSourceSql } from './fork-session.js';
import { getNewestMessagesSql, getOldestMessagesSql } from './get-messages.js';
import { getSessionSql } from './get-session.js';
import { listSessionsFirstPageSql, listSessionsNextPageSql } from './list-sessions.js';
import { listUsersSql } from './list-users.js';
import { popMessageSql } from './pop-message.js';
import { purgeExpiredSql } from './purge-expired.js';
import { resetExpiredSql } from './reset-expired.js';
import { highestSeqSql, lockRestoreTargetSql, restoreMessagesSql } from './restore-messages.js';
import { restoreSessionSql } from './restore-session.js';
import { tableNames } from './tables.js';
import { lockSessionSql, updateSessionSql } from './update-session.js';

/**
 * Every statement of the store, as SQL text for one PostgreSQL schema. Built once per store,
 * so each text is constant and a prepared statement is parsed once per connection.
 */
export function buildQueries(schema: string) {
  const t = tableNames(schema);
  return {
    tables: t,
    appendOrCreate: appendOrCreateSql(t),
    appendExisting: appendExistingSql(t),
    appendState: appendStateSql(t),
    resetExpired: resetExpiredSql(t),
    createSession: createSessionSql(t),
    getSession: getSessionSql(t),
    getNewestMessages: getNewestMessagesSql(t),
    getOldestMessages: getOldestMessagesSql(t),
    listSessionsFirstPage: listSessionsFirstPageSql(t),
    listSessionsNextPage: listSessionsNextPageSql(t),
    lockSession: lockSessionSql(t),
    updateSession: updateSessionSql(t),
    deleteSession: deleteSessionSql(t),
    deleteUser: deleteUserSql(t),
    popMessage: popMessageSql(t),
    clearSession: clearSessionSql(t),
    lockForkSource: lockForkSourceSql(t),
    forkSession: forkSessionSql(t),
    listUsers: listUsersSql(t),
    restoreSession: restoreSessionSql(t),
    lockRestoreTarget: lockRestoreTargetSql(t),
    highestSeq: highestSeqSql(t),
    restoreMessages: restoreMessagesSql(t),
    purgeExpired: purgeExpiredSql(t),
  };
}

/** The statements {@link buildQueries} returns. */
export type Queries = ReturnType<typeof buildQueries>;
