import { randomBytes } from 'node:crypto';
import { RedisSessionStore } from '@sessions/redis';
import { Redis } from 'ioredis';
import { compare, kilobyteMessage, type MeasureOptions } from '../measure.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchResult, BenchSuite } from '../suite.js';

/**
 * RedisSessionStore against raw ioredis on the same server, in the same process: the store's
 * append (one EVALSHA: seq, TTL, index) against an RPUSH of the same 1 KB JSON, and
 * getMessages({ limit: 20 }) against LRANGE + JSON.parse, at session lengths 10, 1,000 and
 * 100,000. Then each operation on the longest session against the shortest: cost must not
 * grow with history.
 */
const LENGTHS = [10, 1_000, 100_000];
const FILL_BATCH = 1_000;

const fmt = (n: number) => n.toLocaleString('en-US');

async function fill(store: RedisSessionStore, raw: Redis, user: string, session: string, listKey: string, length: number) {
  for (let done = 0; done < length; done += FILL_BATCH) {
    const batch = Array.from({ length: Math.min(FILL_BATCH, length - done) }, (_, i) => kilobyteMessage(done + i));
    await store.append(user, session, batch);
    await raw.rpush(listKey, ...batch.map((m) => JSON.stringify(m)));
  }
}

const suite: BenchSuite = {
  name: 'redis',
  needs: ['redis'],
  async run(context: BenchContext): Promise<BenchResult[]> {
    if (!context.redisUrl) throw new Error('the redis suite needs SESSIONS_REDIS_URL');
    const raw = new Redis(context.redisUrl);
    const store = new RedisSessionStore({ client: new Redis(context.redisUrl, { autoResendUnfulfilledCommands: false }), keyPrefix: `bench:${randomBytes(4).toString('hex')}:` });
    const user = 'bench-user';
    const rawPrefix = `bench-raw:${randomBytes(4).toString('hex')}`;
    const lengths = context.quick ? [10, 1_000] : LENGTHS;
    const awaited: MeasureOptions = { ops: context.quick ? 300 : 2_000, runs: context.quick ? 3 : 5 };
    const inFlight: MeasureOptions = { ops: context.quick ? 1_000 : 6_000, runs: context.quick ? 3 : 5, concurrency: 32 };
    const results: BenchResult[] = [];
    const appendTo = (session: string) => (i: number) => store.append(user, session, kilobyteMessage(i));
    const readFrom = (session: string) => () => store.getMessages(user, session, { limit: 20 });
    try {
      for (const length of lengths) {
        const session = `len-${length}`;
        const listKey = `${rawPrefix}:${length}`;
        await fill(store, raw, user, session, listKey, length);
        const variant = `redis, session length ${fmt(length)}`;
        const rpush = (i: number) => raw.rpush(listKey, JSON.stringify(kilobyteMessage(i)));
        results.push({
          scenario: SCENARIOS.appendAwaited,
          variant,
          subjectName: 'RedisSessionStore.append',
          baselineName: 'ioredis RPUSH',
          aim: 0.7,
          note: 'append: JSON validation in Node, then one EVALSHA of five calls (HMGET of the record, ZADD of the message, HSET of the record, ZADD of the listing-index entry, SPUBLISH of the watch notification; three PEXPIREAT more with a TTL); RPUSH does none of that. tools/bench/scripts/append-redis.ts cpu splits the cost into client and server CPU.',
          ...(await compare(appendTo(session), rpush, awaited)),
        });
        results.push({
          scenario: SCENARIOS.appendInFlight,
          variant,
          subjectName: 'RedisSessionStore.append',
          baselineName: 'ioredis RPUSH',
          aim: 0.7,
          ...(await compare(appendTo(session), rpush, inFlight)),
        });
        results.push({
          scenario: SCENARIOS.read,
          variant,
          subjectName: 'RedisSessionStore.getMessages({ limit: 20 })',
          baselineName: 'ioredis LRANGE -20 -1 + JSON.parse',
          aim: 0.8,
          note: 'getMessages: HMGET (is the session live by the store clock) and ZRANGE by rank sent together (one round trip), decoded into { seq, createdAt, message }.',
          ...(await compare(readFrom(session), async () => (await raw.lrange(listKey, -20, -1)).map((m) => JSON.parse(m) as unknown), awaited)),
        });
      }
      const longestLength = Math.max(...lengths);
      const longest = `len-${longestLength}`;
      const variant = `redis, ${fmt(longestLength)} vs 10 messages`;
      const note = 'Same call on the longest and the shortest session: a ratio of 0.83 means the long one is 1.2x slower.';
      results.push({
        scenario: SCENARIOS.readFlat,
        variant,
        subjectName: `append (length ${fmt(longestLength)})`,
        baselineName: 'append (length 10)',
        aim: 1 / 1.2,
        note,
        ...(await compare(appendTo(longest), appendTo('len-10'), awaited)),
      });
      results.push({
        scenario: SCENARIOS.readFlat,
        variant,
        subjectName: `getMessages limit 20 (length ${fmt(longestLength)})`,
        baselineName: 'getMessages limit 20 (length 10)',
        aim: 1 / 1.2,
        ...(await compare(readFrom(longest), readFrom('len-10'), awaited)),
      });
    } finally {
      await store.deleteUser(user);
      for (const length of lengths) await raw.del(`${rawPrefix}:${length}`);
      await store.client.quit();
      await raw.quit();
    }
    return results;
  },
};

export default suite;
