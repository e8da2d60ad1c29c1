import type { SessionStore } from '@sessions/core';
import { CliError } from '../cli-error.js';
import { summarizeMessage, type Output } from '../output.js';

/** `sessions show <user> <session> [--last N]`: the session's record and its (newest N) messages. */
export async function show(store: SessionStore, output: Output, userId: string, sessionId: string, last?: number): Promise<void> {
  const session = await store.getSession(userId, sessionId, last === undefined ? {} : { limit: last });
  if (!session) throw new CliError(`no session ${JSON.stringify(sessionId)} for user ${JSON.stringify(userId)}; list them with: sessions ls <user>`);
  output.result(session, () => {
    const head = [
      `session ${session.id} of ${session.userId}`,
      `  messages ${session.messageCount}, lastSeq ${session.lastSeq}, created ${session.createdAt.toISOString()}, updated ${session.updatedAt.toISOString()}, expires ${session.expiresAt?.toISOString() ?? 'never'}`,
      `  metadata ${JSON.stringify(session.metadata)}`,
    ];
    const lines = session.messages.map((m) => `  #${m.seq} ${summarizeMessage(m.message)}`);
    return [...head, '', ...lines].join('\n');
  });
}
