/** One session of an export, keyed for comparison: its record line and its message lines. */
export interface ExportedSession {
  session: Record<string, unknown>;
  messages: Record<string, unknown>[];
}

/**
 * Parses a JSON Lines export into `user/session → lines`, independent of the order users come
 * in (stores list users in no particular order) and of the header's `exportedAt`.
 */
export function parseExport(text: string): Map<string, ExportedSession> {
  const sessions = new Map<string, ExportedSession>();
  let current: ExportedSession | undefined;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const parsed = JSON.parse(line) as Record<string, unknown>;
    if (parsed['type'] === 'session') {
      current = { session: parsed, messages: [] };
      sessions.set(`${String(parsed['userId'])}/${String(parsed['id'])}`, current);
    } else if (parsed['type'] === 'message') {
      current?.messages.push(parsed);
    }
  }
  return sessions;
}
