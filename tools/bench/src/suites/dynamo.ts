import { randomBytes } from 'node:crypto';
import { BatchWriteItemCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoSessionStore, MAX_APPEND_BATCH } from '@sessions/dynamo';
import { attempt } from '../attempt.js';
import { compare, kilobyteMessage, type MeasureOptions } from '../measure.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchRow, BenchSuite } from '../suite.js';

/**
 * DynamoSessionStore against the raw SDK on the same server (DynamoDB Local unless
 * `SESSIONS_DYNAMO_ENDPOINT` names another), in the same process and table: an awaited append
 * of one 1 KB message (one TransactWriteItems) against a raw PutItem of the same item, and
 * getMessages({ limit: 20 }) (GetItem + Query, in parallel) against a raw Query with Limit 20, at
 * session lengths 10 and 10,000; then each call on the long session against the short one.
 */
const LENGTHS = [10, 10_000];
const fmt = (n: number) => n.toLocaleString('en-US');

const rawKey = (session: string, seq: number) => ({ PK: { S: `RAW#${session}` }, SK: { S: String(seq).padStart(16, '0') } });
const rawItem = (session: string, seq: number) => ({ ...rawKey(session, seq), seq: { N: String(seq) }, createdAt: { N: String(Date.now()) }, body: { S: JSON.stringify(kilobyteMessage(seq)) } });

async function fillRaw(client: DynamoDBClient, tableName: string, session: string, length: number): Promise<void> {
  for (let done = 0; done < length; done += 25) {
    let requests = Array.from({ length: Math.min(25, length - done) }, (_, i) => ({ PutRequest: { Item: rawItem(session, done + i + 1) } }));
    while (requests.length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
}

async function fillStore(store: DynamoSessionStore, user: string, session: string, length: number): Promise<void> {
  for (let done = 0; done < length; done += MAX_APPEND_BATCH) {
    await store.append(user, session, Array.from({ length: Math.min(MAX_APPEND_BATCH, length - done) }, (_, i) => kilobyteMessage(done + i)));
  }
}

const suite: BenchSuite = {
  name: 'dynamo',
  needs: ['dynamo'],
  async run(context: BenchContext): Promise<BenchRow[]> {
    if (!context.dynamoEndpoint) throw new Error('the dynamo suite needs SESSIONS_DYNAMO_ENDPOINT');
    const client = new DynamoDBClient({
      endpoint: context.dynamoEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    const tableName = `bench_${randomBytes(4).toString('hex')}`;
    const store = new DynamoSessionStore({ client, tableName });
    await store.setup();
    const user = 'bench-user';
    const awaited: MeasureOptions = { ops: context.quick ? 30 : 100, runs: context.quick ? 3 : 5 };
    const inFlight: MeasureOptions = { ops: context.quick ? 64 : 200, runs: context.quick ? 3 : 5, concurrency: 32 };
    const results: BenchRow[] = [];
    const appendTo = (session: string) => (i: number) => store.append(user, session, kilobyteMessage(i));
    const readFrom = (session: string) => () => store.getMessages(user, session, { limit: 20 });
    // Seqs above anything filled, so raw puts add items rather than overwrite them.
    const putRaw = (session: string) => (i: number) => client.send(new PutItemCommand({ TableName: tableName, Item: rawItem(session, 1_000_000 + i) }));
    const queryRaw = (session: string) => async () => {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': { S: `RAW#${session}` } },
          ScanIndexForward: false,
          Limit: 20,
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map((item) => JSON.parse(item['body']?.S ?? '{}') as unknown);
    };
    try {
      for (const length of LENGTHS) {
        const session = `len-${length}`;
        await fillStore(store, user, session, length);
        await fillRaw(client, tableName, session, length);
        const variant = `dynamo, session length ${fmt(length)}`;
        results.push({
          scenario: SCENARIOS.appendAwaited,
          variant,
          subjectName: 'DynamoSessionStore.append',
          baselineName: 'SDK PutItem',
          note: 'append: one TransactWriteItems (the session item\'s conditional update + the message put; the store remembers the session\'s seq, so no read first); PutItem writes one item, unconditionally.',
          ...(await compare(appendTo(session), putRaw(session), awaited)),
        });
        results.push(
          await attempt({ scenario: SCENARIOS.appendInFlight, variant, subjectName: 'DynamoSessionStore.append' }, async () => ({
            scenario: SCENARIOS.appendInFlight,
            variant,
            subjectName: 'DynamoSessionStore.append',
            baselineName: 'SDK PutItem',
            note: '32 appenders on one session: each append is a conditional write on the session item, so concurrent appenders of the same session conflict and retry; PutItems of distinct items never conflict.',
            ...(await compare(appendTo(session), putRaw(session), inFlight)),
          })),
        );
        results.push({
          scenario: SCENARIOS.read,
          variant,
          subjectName: 'DynamoSessionStore.getMessages({ limit: 20 })',
          baselineName: 'SDK Query Limit 20 + JSON.parse',
          note: 'getMessages: a strongly consistent GetItem of the session item (expiry, generation, cleared range) and one Query with Limit 20, descending, sent together.',
          ...(await compare(readFrom(session), queryRaw(session), awaited)),
        });
      }
      const [short, long] = LENGTHS.map((l) => `len-${l}`) as [string, string];
      const variant = `dynamo, ${fmt(LENGTHS[1] ?? 0)} vs ${fmt(LENGTHS[0] ?? 0)} messages`;
      const note = 'Same call on the longest and the shortest session: about 1 means cost does not grow with history.';
      results.push({
        scenario: SCENARIOS.readFlat,
        variant,
        subjectName: 'append on the long session',
        baselineName: 'append on the short session',
        aim: 0.8,
        note,
        ...(await compare(appendTo(long), appendTo(short), awaited)),
      });
      results.push({
        scenario: SCENARIOS.readFlat,
        variant,
        subjectName: 'getMessages({ limit: 20 }) on the long session',
        baselineName: 'the same on the short session',
        aim: 0.8,
        ...(await compare(readFrom(long), readFrom(short), awaited)),
      });
    } finally {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      await store.close();
      client.destroy();
    }
    return results;
  },
};

export default suite;
