import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand, waitUntilTableExists, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBChatMessageHistory } from '@langchain/community/stores/message/dynamodb';
import { DynamoSessionStore, MAX_APPEND_BATCH } from '@sessions/dynamo';
import { kilobyteMessage } from '../measure.js';
import { kilobyteChatMessage } from '../peers/langchain-messages.js';
import { manySessions, storeVersusPeer, type ChatHistorySide, type PeerPlan, type PeerSide } from '../peers/peer-rows.js';
import { storeSide } from '../peers/store-side.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchRow, BenchSuite } from '../suite.js';

const PER_CALL =
  'LangChain DynamoDBChatMessageHistory: the whole history is ONE item (a list attribute); addMessage is an UpdateItem with list_append (DynamoDB rewrites, and bills, the whole item on every write); getMessages is a GetItem of the whole item, then we keep the last 20.';
/** A DynamoDB item holds at most 400 KB: the peer's whole history must fit in it. */
const PEER_MAX_LENGTH = 350;

/**
 * DynamoSessionStore against LangChain's DynamoDBChatMessageHistory (`@langchain/community`)
 * on the same DynamoDB Local. Scenarios 1 and 2 at the lengths the peer can hold, "cannot"
 * rows above that and for listing. Smaller sizes than Redis and PostgreSQL: DynamoDB Local
 * (Java, 2 cores shared with the bench) does a few hundred requests a second.
 */
const suite: BenchSuite = {
  name: 'peers-dynamo',
  needs: ['dynamo'],
  async run(context: BenchContext): Promise<BenchRow[]> {
    if (!context.dynamoEndpoint) throw new Error('the peers-dynamo suite needs SESSIONS_DYNAMO_ENDPOINT');
    const config: DynamoDBClientConfig = { endpoint: context.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
    const tag = randomBytes(4).toString('hex');
    const client = new DynamoDBClient(config);
    const storeTable = `bench_peer_${tag}`;
    const peerTable = `bench_lc_${tag}`;
    const store = new DynamoSessionStore({ client, tableName: storeTable });
    await store.setup();
    await client.send(
      new CreateTableCommand({
        TableName: peerTable,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: peerTable });
    const histories = new Map<string, DynamoDBChatMessageHistory>();
    const history = (session: string) => {
      let h = histories.get(session);
      if (!h) histories.set(session, (h = new DynamoDBChatMessageHistory({ tableName: peerTable, sessionId: session, config })));
      return h;
    };
    const peer: PeerSide = {
      name: 'LangChain DynamoDBChatMessageHistory (@langchain/community)',
      perCall: PER_CALL,
      maxLength: { length: PEER_MAX_LENGTH, reason: 'the whole history is one item, and an item holds at most 400 KB (about 380 messages of 1 KB)' },
      append: (session, i) => history(session).addMessage(kilobyteChatMessage(i)),
      readNewest20: async (session) => (await history(session).getMessages()).slice(-20),
      async fill(session, length) {
        for (let done = 0; done < length; done += 50) {
          await history(session).addMessages(Array.from({ length: Math.min(50, length - done) }, (_, i) => kilobyteChatMessage(done + i)));
        }
      },
    };
    // The peer's append sessions must stay under its item limit: warmup + runs x ops < 350.
    const plan: PeerPlan = {
      backend: 'dynamo',
      awaited: { ops: context.quick ? 30 : 50, runs: context.quick ? 3 : 5 },
      inFlight: { ops: context.quick ? 30 : 50, runs: context.quick ? 3 : 5, concurrency: 32 },
      lengths: [10, 300, 10_000],
      readOptions: () => ({ ops: context.quick ? 30 : 100, runs: context.quick ? 3 : 5 }),
    };
    try {
      const ours = storeSide('DynamoSessionStore', store, 'bench-user', MAX_APPEND_BATCH);
      const rows = await storeVersusPeer(ours, peer, plan);
      // 100 x 20 rather than 1,000 x 100: DynamoDB Local would take over 20 minutes for the full size.
      const many = { backend: 'dynamo', sessions: 100, perSession: context.quick ? 5 : 20, runs: 3 };
      const putItem: ChatHistorySide = {
        name: 'SDK PutItem',
        append: (session, i) =>
          client.send(
            new PutItemCommand({
              TableName: storeTable,
              Item: { PK: { S: `RAW#${session}` }, SK: { S: String(i).padStart(16, '0') }, createdAt: { N: String(Date.now()) }, body: { S: JSON.stringify(kilobyteMessage(i)) } },
            }),
          ),
        readNewest20: () => Promise.resolve([]),
        fill: () => Promise.resolve(),
      };
      rows.push(await manySessions(ours, putItem, many, { note: 'Floor: one PutItem per message, unconditional, key chosen by the client (no seq assigned, no session item).' }));
      rows.push(await manySessions(ours, peer, many));
      rows.push({ kind: 'gap', scenario: SCENARIOS.list, variant: 'dynamo', subjectName: peer.name, reason: 'no listing of sessions (one item per session id, nothing indexes them)' });
      return rows;
    } finally {
      for (const table of [storeTable, peerTable]) await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
      await store.close();
      // Each peer history holds a private SDK client; the runner's exit closes their sockets.
      client.destroy();
    }
  },
};

export default suite;
