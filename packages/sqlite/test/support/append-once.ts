/**
 * Appends one message to a session of a database file from a process of its own.
 *
 * node --conditions=@sessions/source --import tsx append-once.ts <file> <userId> <sessionId> <text>
 */
import { SqliteSessionStore } from '@sessions/sqlite';

const [file, userId, sessionId, text] = process.argv.slice(2);
await using store = new SqliteSessionStore({ path: file! });
await store.append(userId!, sessionId!, { role: 'user', content: text! });
