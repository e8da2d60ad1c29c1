import type { SessionStore } from '@sessions/core';
import { table, type Output } from '../output.js';

/** `sessions stats [user...]`: users, sessions and messages held (all users when none named). */
export async function stats(store: SessionStore, output: Output, userIds: string[]): Promise<void> {
  const rows: { userId: string; sessions: number; messages: number }[] = [];
  const users = userIds.length ? userIds : await collect(store.listUsers());
  for (const userId of users) {
    let sessions = 0;
    let messages = 0;
    let cursor: string | null = null;
    do {
      const page = await store.listSessions(userId, { limit: 1000, cursor });
      sessions += page.items.length;
      for (const s of page.items) messages += s.messageCount;
      cursor = page.nextCursor;
    } while (cursor);
    rows.push({ userId, sessions, messages });
  }
  const totals = rows.reduce((t, r) => ({ sessions: t.sessions + r.sessions, messages: t.messages + r.messages }), { sessions: 0, messages: 0 });
  output.result({ backend: store.backend, users: rows.length, ...totals, perUser: rows }, () =>
    [
      `${store.backend}: ${rows.length} users, ${totals.sessions} sessions, ${totals.messages} messages`,
      rows.length ? '\n' + table(['user', 'sessions', 'messages'], rows.map((r) => [r.userId, String(r.sessions), String(r.messages)])) : '',
    ].join(''),
  );
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items.sort();
}
