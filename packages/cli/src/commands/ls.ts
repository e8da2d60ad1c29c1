import type { SessionInfo, SessionStore } from '@sessions/core';
import { table, type Output } from '../output.js';

/** Options of `sessions ls`. */
export interface LsOptions {
  limit?: number;
  cursor?: string;
  all?: boolean;
}

/** `sessions ls <user>`: the user's sessions, newest first, a page at a time (or `--all`). */
export async function ls(store: SessionStore, output: Output, userId: string, options: LsOptions): Promise<void> {
  const items: SessionInfo[] = [];
  let cursor: string | null = options.cursor ?? null;
  do {
    const page = await store.listSessions(userId, { limit: options.limit ?? 50, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (options.all && cursor);
  output.result({ items, nextCursor: cursor }, () => {
    if (items.length === 0) return `no sessions for user ${JSON.stringify(userId)}`;
    const rows = items.map((s) => [
      s.id,
      String(s.messageCount),
      String(s.lastSeq),
      s.updatedAt.toISOString(),
      s.expiresAt ? s.expiresAt.toISOString() : '-',
    ]);
    const more = cursor ? `\nmore: sessions ls ${quote(userId)} --cursor ${cursor}` : '';
    return table(['session', 'messages', 'lastSeq', 'updated', 'expires'], rows) + more;
  });
}

/** Quotes an argument for a shell command line shown to the user. */
export function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
