// A writer in a process of its own for the watch tests: appends `count` messages, one call
// each, `{ n: 1 }` to `{ n: count }`, to one session of a PostgreSQL schema, then exits.
//
// node --conditions=@sessions/source --import tsx watch-writer.ts <url> <schema> <userId> <sessionId> <count>
import { PostgresSessionStore } from '@sessions/postgres';

const [url, schema, userId, sessionId, count] = process.argv.slice(2);
const store = await PostgresSessionStore.fromUrl(url!, { schema: schema!, maxConnections: 1 });
try {
  for (let n = 1; n <= Number(count); n++) await store.append(userId!, sessionId!, { role: 'user', content: `from pid ${process.pid}`, n });
} finally {
  await store.close();
}
