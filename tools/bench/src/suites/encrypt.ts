import { randomBytes } from 'node:crypto';
import { InMemorySessionStore, type DriverSessionStore, type JsonObject, type SessionStore } from '@sessions/core';
import { encryptStore } from '@sessions/encrypt';
import { RedisSessionStore } from '@sessions/redis';
import { Redis } from 'ioredis';
import { compare, kilobyteMessage, type MeasureOptions } from '../measure.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchResult, BenchSuite } from '../suite.js';

/**
 * The encryption wrapper's overhead: `encryptStore(store)` against the same `store` unwrapped,
 * in the same process, on 1 KB messages: append (validate, one AES-256-GCM seal, the inner
 * append of the envelope) and getMessages({ limit: 20 }) (20 opens) on a 1,000-message session.
 * Over Redis (what the aim is about: crypto cost next to a network round trip) and over the
 * in-memory store (the crypto cost laid bare).
 */
const SESSION_LENGTH = 1_000;
/** At most 15 % slower: wrapped throughput ÷ unwrapped throughput >= 1 / 1.15. */
const AIM = 0.87;

async function fill(store: SessionStore<JsonObject>, user: string, session: string): Promise<void> {
  for (let done = 0; done < SESSION_LENGTH; done += 100) {
    await store.append(user, session, Array.from({ length: 100 }, (_, i) => kilobyteMessage(done + i)));
  }
}

async function overhead(backend: string, inner: DriverSessionStore<JsonObject>, context: BenchContext): Promise<BenchResult[]> {
  const wrapped = encryptStore(inner, { keys: { bench: randomBytes(32) }, currentKeyId: 'bench' });
  const user = 'bench-user';
  const awaited: MeasureOptions = { ops: context.quick ? 300 : 2_000, runs: context.quick ? 3 : 5 };
  await fill(inner, user, 'plain');
  await fill(wrapped, user, 'sealed');
  const subjectName = `encryptStore(${backend})`;
  return [
    {
      scenario: SCENARIOS.encryptAppend,
      variant: `over ${backend}`,
      subjectName: `${subjectName}.append`,
      baselineName: `${backend}.append`,
      aim: AIM,
      note: 'wrapped: JSON checks and one AES-256-GCM seal (session key cached), then the inner append of a ~1.4 KB envelope.',
      ...(await compare(
        (i) => wrapped.append(user, 'sealed', kilobyteMessage(i)),
        (i) => inner.append(user, 'plain', kilobyteMessage(i)),
        awaited,
      )),
    },
    {
      scenario: SCENARIOS.encryptRead,
      variant: `over ${backend}, session length ${SESSION_LENGTH.toLocaleString('en-US')}`,
      subjectName: `${subjectName}.getMessages({ limit: 20 })`,
      baselineName: `${backend}.getMessages({ limit: 20 })`,
      aim: AIM,
      note: 'wrapped: the inner read of 20 envelopes, then 20 AES-256-GCM opens and JSON.parse.',
      ...(await compare(
        () => wrapped.getMessages(user, 'sealed', { limit: 20 }),
        () => inner.getMessages(user, 'plain', { limit: 20 }),
        awaited,
      )),
    },
  ];
}

const suite: BenchSuite = {
  name: 'encrypt',
  needs: ['redis'],
  async run(context: BenchContext): Promise<BenchResult[]> {
    if (!context.redisUrl) throw new Error('the encrypt suite needs SESSIONS_REDIS_URL');
    const client = new Redis(context.redisUrl, { autoResendUnfulfilledCommands: false });
    const redis = new RedisSessionStore({
      client,
      keyPrefix: `bench-enc:${randomBytes(4).toString('hex')}:`,
    });
    const memory = new InMemorySessionStore();
    try {
      return [...(await overhead('redis', redis, context)), ...(await overhead('memory', memory, context))];
    } finally {
      await redis.close();
      await memory.close();
      await client.quit();
    }
  },
};

export default suite;
