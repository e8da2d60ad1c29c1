import { randomBytes } from 'node:crypto';
import { RedisChatMessageHistory as IoredisHistory } from '@langchain/community/stores/message/ioredis';
import { RedisChatMessageHistory as NodeRedisHistory } from '@langchain/redis';
import { RedisSessionStore } from '@sessions/redis';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { kilobyteMessage } from '../measure.js';
import { kilobyteChatMessage, storedChatMessageJson } from '../peers/langchain-messages.js';
import { manySessions, storeVersusPeer, type ChatHistorySide, type PeerPlan, type PeerSide } from '../peers/peer-rows.js';
import { storeSide } from '../peers/store-side.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchRow, BenchSuite } from '../suite.js';

const PER_CALL =
  'LangChain Redis chat histories: addMessage is an LPUSH of the serialized message (plus EXPIRE with a TTL); getMessages is LRANGE 0 -1 (the whole history) + JSON.parse of every message, then we keep the last 20: there is no limit.';

/** Fills a LangChain Redis history (a list, newest first) with raw LPUSHes of its own message format. */
async function lpushFill(raw: Redis, key: string, length: number): Promise<void> {
  for (let done = 0; done < length; done += 1_000) {
    await raw.lpush(key, ...Array.from({ length: Math.min(1_000, length - done) }, (_, i) => storedChatMessageJson(done + i)));
  }
}

/** A LangChain Redis history class as a peer: one history object per session, as an app would hold. */
function langchainPeer(name: string, raw: Redis, prefix: string, make: (sessionId: string) => IoredisHistory | NodeRedisHistory): PeerSide {
  const histories = new Map<string, IoredisHistory | NodeRedisHistory>();
  const history = (session: string) => {
    let h = histories.get(session);
    if (!h) histories.set(session, (h = make(`${prefix}:${session}`)));
    return h;
  };
  return {
    name,
    perCall: PER_CALL,
    append: (session, i) => history(session).addMessage(kilobyteChatMessage(i)),
    readNewest20: async (session) => (await history(session).getMessages()).slice(-20),
    fill: (session, length) => lpushFill(raw, `${prefix}:${session}`, length),
  };
}

/**
 * RedisSessionStore against the LangChain.js Redis chat histories on the same server:
 * `@langchain/community` (ioredis) and `@langchain/redis` (node-redis). Scenarios 1 and 2,
 * plus a "cannot" row for listing (scenario 3): neither lists a user's sessions.
 */
const suite: BenchSuite = {
  name: 'peers-redis',
  needs: ['redis'],
  async run(context: BenchContext): Promise<BenchRow[]> {
    if (!context.redisUrl) throw new Error('the peers-redis suite needs SESSIONS_REDIS_URL');
    const tag = randomBytes(4).toString('hex');
    const raw = new Redis(context.redisUrl);
    const storeClient = new Redis(context.redisUrl, { autoResendUnfulfilledCommands: false });
    const ioredisClient = new Redis(context.redisUrl);
    const nodeRedis = createClient({ url: context.redisUrl });
    await nodeRedis.connect();
    const store = new RedisSessionStore({ client: storeClient, keyPrefix: `bench-peer:${tag}:` });
    const ours = storeSide('RedisSessionStore', store, 'bench-user', 1_000);
    const plan: PeerPlan = {
      backend: 'redis',
      awaited: { ops: context.quick ? 300 : 2_000, runs: context.quick ? 3 : 5 },
      inFlight: { ops: context.quick ? 1_000 : 6_000, runs: context.quick ? 3 : 5, concurrency: 32 },
      lengths: context.quick ? [10, 1_000] : [10, 1_000, 100_000],
      readOptions: (length) =>
        length >= 100_000 ? { ops: 3, runs: 3, warmup: 1 } : length >= 1_000 ? { ops: context.quick ? 30 : 100, runs: context.quick ? 3 : 5 } : { ops: context.quick ? 300 : 2_000, runs: context.quick ? 3 : 5 },
    };
    const communityPeer = langchainPeer('LangChain RedisChatMessageHistory (@langchain/community, ioredis)', raw, `bench-lc-io:${tag}`, (sessionId) => new IoredisHistory({ sessionId, client: ioredisClient }));
    const peers: PeerSide[] = [
      communityPeer,
      langchainPeer('LangChain RedisChatMessageHistory (@langchain/redis, node-redis)', raw, `bench-lc-nr:${tag}`, (sessionId) => new NodeRedisHistory({ sessionId, client: nodeRedis })),
    ];
    const rpush: ChatHistorySide = {
      name: 'ioredis RPUSH',
      append: (session, i) => raw.rpush(`bench-raw:${tag}:${session}`, JSON.stringify(kilobyteMessage(i))),
      readNewest20: async (session) => (await raw.lrange(`bench-raw:${tag}:${session}`, -20, -1)).map((m) => JSON.parse(m) as unknown),
      fill: () => Promise.resolve(),
    };
    const many = { backend: 'redis', sessions: context.quick ? 100 : 1_000, perSession: context.quick ? 20 : 100, runs: 3 };
    const rows: BenchRow[] = [];
    try {
      for (const peer of peers) {
        rows.push(...(await storeVersusPeer(ours, peer, plan)));
        rows.push({ kind: 'gap', scenario: SCENARIOS.list, variant: 'redis', subjectName: peer.name, reason: 'no listing of sessions (one list key per session id, nothing indexes them)' });
      }
      rows.push(await manySessions(ours, rpush, many, { aim: 0.7, note: 'Floor: an RPUSH per message to a list per session (no seq, no session record, no index).' }));
      rows.push(await manySessions(ours, communityPeer, many));
    } finally {
      await store.deleteUser('bench-user').catch(() => undefined);
      for (const prefix of [`bench-lc-io:${tag}`, `bench-lc-nr:${tag}`, `bench-raw:${tag}`]) {
        const keys = await raw.keys(`${prefix}:*`);
        if (keys.length) await raw.del(...keys);
      }
      await Promise.all([raw.quit(), storeClient.quit(), ioredisClient.quit(), nodeRedis.quit()]);
    }
    return rows;
  },
};

export default suite;
