/**
 * A writer in a process of its own, for the watch tests: appends `count` messages to one
 * session through `@sessions/redis`, one at a time, `gapMs` apart, then prints `done <count>`.
 *
 * Usage: node --conditions=@sessions/source --import tsx watch-writer.ts <url> <keyPrefix> <userId> <sessionId> <count> [gapMs]
 */
import { RedisSessionStore } from '@sessions/redis';

const [url, keyPrefix, userId, sessionId, countText, gapText] = process.argv.slice(2);
if (!url || !keyPrefix || !userId || !sessionId || !countText) throw new Error('usage: watch-writer.ts <url> <keyPrefix> <userId> <sessionId> <count> [gapMs]');
const count = Number(countText);
const gapMs = Number(gapText ?? 0);
const store = await RedisSessionStore.fromUrl(url, { keyPrefix });
try {
  for (let i = 0; i < count; i++) {
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    await store.append(userId, sessionId, { role: 'user', content: `from another process ${i}`, i });
  }
  process.stdout.write(`done ${count}\n`);
} finally {
  await store.close();
}
