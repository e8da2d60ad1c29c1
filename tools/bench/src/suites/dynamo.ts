import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { BatchWriteItemCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoSessionStore, MAX_APPEND_BATCH, type DynamoSessionStoreOptions } from '@sessions/dynamo';
import { attempt } from '../attempt.js';
import { compare, figureOf, kilobyteMessage, type MeasureOptions } from '../measure.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchFigures, BenchRow, BenchSuite } from '../suite.js';

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

/** Messages of the session written in the 0.1 layout, to compare the two layouts' reads. */
const OLD_LAYOUT_LENGTH = 1000;

/**
 * A session exactly as the 0.1 store laid it out (message keys counting up, a gen without the
 * newest-first mark): the store still reads such sessions the way it read every session before,
 * a GetItem of the session item plus a Query of the messages.
 */
async function fillOldLayout(client: DynamoDBClient, tableName: string, user: string, session: string, length: number): Promise<void> {
  const gen = 'AAAAAAAAAAAA';
  const now = Date.now();
  const pk = { S: `U#${user}` };
  const record = {
    PK: pk, SK: { S: `S#${session}` }, type: { S: 'session' }, userId: { S: user }, sessionId: { S: session }, gen: { S: gen }, metadata: { S: '{}' },
    createdAt: { N: String(now) }, updatedAt: { N: String(now) }, lastSeq: { N: String(length) }, messageCount: { N: String(length) }, clearedUpTo: { N: '0' },
    GSI1PK: pk, GSI1SK: { S: `${String(now).padStart(15, '0')}#${session}` },
  };
  const items = [record, ...Array.from({ length }, (_, i) => ({
    PK: pk, SK: { S: `S#${session}#M#${gen}#${String(i + 1).padStart(16, '0')}` }, type: { S: 'message' }, seq: { N: String(i + 1) }, createdAt: { N: String(now) }, body: { S: JSON.stringify(kilobyteMessage(i)) },
  }))];
  for (let done = 0; done < items.length; done += 25) {
    let requests = items.slice(done, done + 25).map((Item) => ({ PutRequest: { Item } }));
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

/** The table of the watch delays (until the scenario list has one of its own). */
const WATCH_SCENARIO = '7. Watch: delay from an append in one process to a watcher in another';
const here = fileURLToPath(import.meta.url);
/** Wall-clock ms with fractions, comparable between two processes of one machine. */
const wallClock = () => performance.timeOrigin + performance.now();

/**
 * The writer of the watch measure, in a process of its own (this file run as a script): appends
 * `count` messages one at a time, a random 0-50 ms apart (so appends fall at random points of
 * the watcher's poll cycle), each carrying the wall-clock time its append was called.
 */
async function writerMain([endpoint, tableName, user, session, count]: string[]): Promise<void> {
  const store = await DynamoSessionStore.fromUrl(`dynamodb://${new URL(endpoint ?? '').host}/${tableName}`);
  for (let i = 0; i < Number(count); i++) {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
    await store.append(user ?? '', session ?? '', { role: 'user', content: `message ${i}`, sentAt: wallClock() });
  }
  await store.close();
}

function runWriter(args: string[]): Promise<void> {
  const child = spawn(process.execPath, ['--conditions=@sessions/source', '--import', 'tsx', here, 'watch-writer', ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the writer process exited with ${code}`))));
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/**
 * Delay from the call of an append in another process to the message reaching a watch in this
 * one, per message: each run watches a fresh session while a writer process appends `appends`
 * messages; p50 and p99 of each run, their medians over the runs.
 */
async function watchDelay(context: BenchContext, tableName: string, variant: string, options: Pick<DynamoSessionStoreOptions, 'streams'>, note: string): Promise<BenchFigures> {
  const appends = context.quick ? 100 : 200;
  const runs = context.quick ? 1 : 3;
  const p50: number[] = [];
  const p99: number[] = [];
  const store = await DynamoSessionStore.fromUrl(`dynamodb://${new URL(context.dynamoEndpoint ?? '').host}/${tableName}`, options);
  try {
    for (let run = 0; run < runs; run++) {
      const session = `watch-${randomBytes(4).toString('hex')}`;
      await store.append('watcher', session, { role: 'system', content: 'start', sentAt: 0 });
      const delays: number[] = [];
      let writer: Promise<void> | undefined;
      // Core's default poll interval in both modes (1 s polling, 5 s safety net with the stream).
      for await (const change of store.watch('watcher', session)) {
        if (change.type !== 'appended') continue;
        const now = wallClock();
        for (const m of change.messages) if (m.seq > 1) delays.push(now - Number(m.message['sentAt']));
        // The writer starts once the watch has read the session (and, with streams, listens).
        writer ??= runWriter([context.dynamoEndpoint ?? '', tableName, 'watcher', session, String(appends)]);
        if (delays.length >= appends) break;
      }
      await writer;
      delays.sort((a, b) => a - b);
      p50.push(percentile(delays, 50));
      p99.push(percentile(delays, 99));
    }
  } finally {
    await store.close();
  }
  return { kind: 'figures', scenario: WATCH_SCENARIO, variant, subjectName: 'DynamoSessionStore.watch', figures: { 'p50 (ms)': figureOf(p50), 'p99 (ms)': figureOf(p99) }, note: `${appends} appends per run, ${runs} run(s). ${note}` };
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
            note: '32 appends in flight on one session through one store: the store runs them one after another (each a conditional write on the session item, which concurrent writes would make fail and retry); 32 PutItems of distinct items run side by side.',
            ...(await compare(appendTo(session), putRaw(session), inFlight)),
          })),
        );
        results.push({
          scenario: SCENARIOS.read,
          variant,
          subjectName: 'DynamoSessionStore.getMessages({ limit: 20 })',
          baselineName: 'SDK Query Limit 20 + JSON.parse',
          note: 'getMessages: ONE strongly consistent Query from the session item: the item (expiry, generation, cleared range) and, right after it in key order, the newest 20 messages.',
          ...(await compare(readFrom(session), queryRaw(session), awaited)),
        });
      }
      // The same read on a session in the newest-first layout (one Query) and on one in the 0.1
      // layout (GetItem + Query): the change of layout, measured in one process.
      await fillStore(store, user, 'layout-new', OLD_LAYOUT_LENGTH);
      await fillOldLayout(client, tableName, user, 'layout-old', OLD_LAYOUT_LENGTH);
      const cold = new DynamoSessionStore({ client, tableName, sessionCacheSize: 0 });
      for (const [reader, who] of [[store, 'a store that wrote or read the session before'], [cold, 'a store that remembers no session (sessionCacheSize: 0), as another process']] as const) {
        const variant = `dynamo, ${fmt(OLD_LAYOUT_LENGTH)} messages, ${who}`;
        results.push({
          scenario: SCENARIOS.read,
          variant,
          subjectName: 'getMessages({ limit: 20 }), newest-first layout',
          baselineName: 'the same, 0.1 layout',
          note: 'Newest-first layout: one Query returns the session item and the newest 20 messages. 0.1 layout: a GetItem of the session item and a Query of the messages (sent together when the store remembers the session, one after the other when it does not).',
          ...(await compare(() => reader.getMessages(user, 'layout-new', { limit: 20 }), () => reader.getMessages(user, 'layout-old', { limit: 20 }), awaited)),
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
      results.push(
        await watchDelay(context, tableName, 'dynamo, polling (no streams)', {}, 'The watch reads the session every 1 s (core\'s default): the delay is where in that second the append fell, plus one read.'),
      );
      // The stream needs setup() with streams: it enables one on the existing table.
      await new DynamoSessionStore({ client, tableName, streams: true }).setup();
      results.push(
        await watchDelay(context, tableName, 'dynamo, streams (GetRecords every 500 ms, the default)', { streams: true }, 'One reader per store polls the table\'s stream every 500 ms and wakes the watch of the session a record names; the watch then reads.'),
      );
      results.push(
        await watchDelay(context, tableName, 'dynamo, streams (GetRecords every 50 ms)', { streams: { pollIntervalMs: 50 } }, 'As above with { streams: { pollIntervalMs: 50 } } (AWS serves 5 GetRecords a second per shard: one watching process at most).'),
      );
    } finally {
      await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      await store.close();
      client.destroy();
    }
    return results;
  },
};

export default suite;

// Run as a script (`node --import tsx dynamo.ts watch-writer ...`): the watch measure's writer process.
if (process.argv[1] === here && process.argv[2] === 'watch-writer') await writerMain(process.argv.slice(3));
