/**
 * A writer in a process of its own, for the watch tests and the latency measure: appends
 * `count` messages to one session through `@sessions/dynamo`, one at a time, `gapMs` apart,
 * each carrying the wall-clock time at which its append was called (`sentAt`, ms with
 * fractions), then prints `done <count>`.
 *
 * Usage: node --import tsx watch-writer.ts <endpoint> <table> <userId> <sessionId> <count> [gapMs]
 */
import { DynamoSessionStore } from '@sessions/dynamo';

const [endpoint, tableName, userId, sessionId, countText, gapText] = process.argv.slice(2);
if (!endpoint || !tableName || !userId || !sessionId || !countText) throw new Error('usage: watch-writer.ts <endpoint> <table> <userId> <sessionId> <count> [gapMs]');
const count = Number(countText);
const gapMs = Number(gapText ?? 0);
const store = await DynamoSessionStore.fromUrl(`dynamodb://${new URL(endpoint).host}/${tableName}`);
try {
  for (let i = 0; i < count; i++) {
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    await store.append(userId, sessionId, { role: 'user', content: `from another process ${i}`, i, sentAt: performance.timeOrigin + performance.now() });
  }
  process.stdout.write(`done ${count}\n`);
} finally {
  await store.close();
}
