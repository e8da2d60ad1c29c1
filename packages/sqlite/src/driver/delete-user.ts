import type { At } from '@sessions/core';
import type { Database } from 'better-sqlite3';

/** Parameters of the statements removing a user's sessions. */
export interface DeleteUserParams {
  userId: string;
  now: number;
}

const OF_USER = 'SELECT sid FROM sessions WHERE user_id = @userId';
const SQL = {
  countLive: 'SELECT count(*) AS live FROM sessions s WHERE s.user_id = @userId AND (s.expires_at IS NULL OR s.expires_at > @now)',
  dropMessages: `DELETE FROM session_messages WHERE sid IN (${OF_USER})`,
  dropKeys: `DELETE FROM session_idempotency_keys WHERE sid IN (${OF_USER})`,
  dropSessions: 'DELETE FROM sessions WHERE user_id = @userId',
};

/**
 * `deleteUser`: removes every session of the user (expired ones too) with their entries and
 * keys, and returns how many were live. One `BEGIN IMMEDIATE` transaction.
 */
export function prepareDeleteUser(db: Database): (request: { userId: string } & At) => number {
  const countLive = db.prepare<DeleteUserParams, { live: number }>(SQL.countLive);
  const drops = [SQL.dropMessages, SQL.dropKeys, SQL.dropSessions].map((sql) => db.prepare<DeleteUserParams>(sql));
  const run = db.transaction((request: { userId: string } & At): number => {
    const params = { userId: request.userId, now: request.now };
    const live = countLive.get(params)?.live ?? 0;
    for (const drop of drops) drop.run(params);
    return live;
  });
  return (request) => run.immediate(request);
}
