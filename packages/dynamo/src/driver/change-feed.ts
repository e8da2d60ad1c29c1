import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
// Types only (erased): the package itself is loaded on the first watch, so a store without
// `streams` never needs it installed.
import type { DynamoDBStreamsClient, Shard, _Record } from '@aws-sdk/client-dynamodb-streams';

/** The Streams SDK module, loaded on first use. */
type StreamsApi = typeof import('@aws-sdk/client-dynamodb-streams');
import { sessionSk, userPk } from '../keys.js';
import { ConfigurationError } from './errors.js';

/** What a {@link StreamChangeFeed} reads. */
export interface ChangeFeedOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Pause between two rounds of `GetRecords` over the open shards, in ms. */
  pollIntervalMs: number;
  /** The DynamoDB Streams endpoint; by default the client's own when it is custom (DynamoDB Local serves both APIs). */
  endpoint?: string | undefined;
}

/** While the stream cannot be read, every watcher is woken this often: the rate of plain polling. */
const DEGRADED_NOTIFY_MS = 1000;
/** Longest pause before reading a failing stream again. */
const MAX_RETRY_MS = 30_000;
/** Records asked for per `GetRecords` (the API's maximum). */
const RECORDS_PER_CALL = 1000;
/** Shortest pause between two `DescribeStream` calls looking for the children of a closed shard. */
const DESCRIBE_EVERY_MS = 5000;

interface Run {
  stop: AbortController;
  /** Settles once the shards are positioned (or reading failed in a way a retry may fix); rejects on a configuration error. */
  ready: Promise<void>;
  done: Promise<void>;
}

/**
 * One reader of the table's DynamoDB Stream per driver, shared by every watch of the store: it
 * runs while at least one session is watched, reads each open shard with `GetRecords` every
 * `pollIntervalMs`, and calls the listeners of each session whose items a record names (keys
 * only: the stream's `KEYS_ONLY` view is enough). A notification is a hint: the watch reads the
 * table after it, and also polls, so a record this reader misses delays a change, never loses it.
 * Nothing it meets is thrown at a watcher: while the stream cannot be read it wakes every
 * watcher each second (they re-read, as plain polling would) and tries again with backoff.
 */
export class StreamChangeFeed {
  private readonly listeners = new Map<string, Set<() => void>>();
  private run: Run | undefined;
  private streams: { api: StreamsApi; client: DynamoDBStreamsClient } | undefined;

  constructor(private readonly options: ChangeFeedOptions) {}

  /**
   * Calls `listener` after writes to the session. Resolves once the stream is being read from
   * its newest records (so a write made after this resolves is seen), to a function that stops.
   * Rejects only when the feed cannot work at all (the stream package is not installed, the
   * table has no stream).
   */
  async subscribe(userId: string, sessionId: string, listener: () => void): Promise<() => Promise<void>> {
    const key = feedKey(userPk(userId), sessionSk(sessionId));
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    const entry = (): void => listener(); // one identity per subscription, even for the same listener
    set.add(entry);
    const run = this.run ?? this.start();
    const unsubscribe = async (): Promise<void> => {
      set.delete(entry);
      if (set.size === 0 && this.listeners.get(key) === set) this.listeners.delete(key);
      if (this.listeners.size === 0 && this.run === run) {
        this.run = undefined;
        run.stop.abort();
        await run.done;
      }
    };
    try {
      await run.ready;
    } catch (error) {
      await unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Stops reading and releases the Streams client. */
  async close(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    this.listeners.clear();
    if (run) {
      run.stop.abort();
      await run.done;
    }
    this.streams?.client.destroy();
    this.streams = undefined;
  }

  private start(): Run {
    const stop = new AbortController();
    let settle: { resolve: () => void; reject: (error: unknown) => void } = { resolve: () => undefined, reject: () => undefined };
    const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    ready.catch(() => undefined); // observed by subscribe; never an unhandled rejection
    const done = this.loop(stop.signal, settle).catch(() => undefined);
    const run: Run = { stop, ready, done };
    this.run = run;
    return run;
  }

  private async loop(signal: AbortSignal, ready: { resolve: () => void; reject: (error: unknown) => void }): Promise<void> {
    let shards: ShardReader | undefined;
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!shards) {
          shards = await ShardReader.open(await this.client(), await this.streamArn());
          ready.resolve();
        }
        const more = await shards.round((keys) => this.notify(keys));
        failures = 0;
        if (!more) await sleep(this.options.pollIntervalMs, signal);
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ConfigurationError && shards === undefined && failures === 0) {
          ready.reject(error);
          return;
        }
        ready.resolve();
        // Start over from the newest records; what happened meanwhile is covered by waking everyone.
        shards = undefined;
        failures++;
        await this.degraded(Math.min(DEGRADED_NOTIFY_MS * 2 ** failures, MAX_RETRY_MS), signal);
      }
    }
  }

  /** Wakes every watcher now and then each second, for `ms`. */
  private async degraded(ms: number, signal: AbortSignal): Promise<void> {
    const until = Date.now() + ms;
    while (!signal.aborted) {
      this.notify([...this.listeners.keys()]);
      const left = until - Date.now();
      if (left <= 0) return;
      await sleep(Math.min(left, DEGRADED_NOTIFY_MS), signal);
    }
  }

  private notify(keys: Iterable<string>): void {
    for (const key of keys) {
      for (const listener of this.listeners.get(key) ?? []) {
        try {
          listener();
        } catch {
          // A listener's own failure is its business: the feed goes on for the others.
        }
      }
    }
  }

  private async client(): Promise<{ api: StreamsApi; client: DynamoDBStreamsClient }> {
    if (this.streams) return this.streams;
    let api: StreamsApi;
    try {
      api = await import('@aws-sdk/client-dynamodb-streams');
    } catch (error) {
      throw new ConfigurationError(
        'the streams option needs the package @aws-sdk/client-dynamodb-streams: install it next to @aws-sdk/client-dynamodb, or leave streams off (watches then poll)',
        error,
      );
    }
    const config = this.options.client.config;
    // AWS serves Streams on its own host (streams.dynamodb.<region>.amazonaws.com): only a custom
    // endpoint (DynamoDB Local, LocalStack), which serves both APIs, is reused.
    const endpoint = this.options.endpoint ?? (config.isCustomEndpoint ? config.endpoint : undefined);
    const client = new api.DynamoDBStreamsClient({ region: config.region, credentials: config.credentials, ...(endpoint ? { endpoint } : {}) });
    this.streams = { api, client };
    return this.streams;
  }

  private async streamArn(): Promise<string> {
    const { tableName } = this.options;
    const table = (await this.options.client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    const arn = table?.StreamSpecification?.StreamEnabled ? table.LatestStreamArn : undefined;
    if (!arn) {
      throw new ConfigurationError(`the streams option needs a stream on table ${JSON.stringify(tableName)}: run store.setup() once with streams on (it enables one), or leave streams off (watches then poll)`);
    }
    return arn;
  }
}

/**
 * The open shards of one stream and where this reader is in each. Positioned at the newest
 * record of every open shard; a shard that closes (no next iterator) is replaced by its
 * children, read from their first record, so nothing between the two is skipped.
 */
class ShardReader {
  private readonly iterators = new Map<string, string>();
  /** Closed shards whose children have not shown up yet. */
  private readonly orphans = new Set<string>();
  private readonly known = new Set<string>();
  private lastDescribe = 0;

  private constructor(
    private readonly streams: { api: StreamsApi; client: DynamoDBStreamsClient },
    private readonly arn: string,
  ) {}

  static async open(streams: { api: StreamsApi; client: DynamoDBStreamsClient }, arn: string): Promise<ShardReader> {
    const reader = new ShardReader(streams, arn);
    const shards = await reader.describe();
    for (const shard of shards) {
      if (!shard.ShardId) continue;
      reader.known.add(shard.ShardId);
      // Closed shards hold only the past: a watch starts from now.
      if (shard.SequenceNumberRange?.EndingSequenceNumber === undefined) await reader.position(shard.ShardId, 'LATEST');
    }
    return reader;
  }

  /** Reads every open shard once; `true` when a shard had more records than one call returns. */
  async round(notify: (keys: Set<string>) => void): Promise<boolean> {
    const { api, client } = this.streams;
    let more = false;
    for (const [shardId, iterator] of [...this.iterators]) {
      const out = await client.send(new api.GetRecordsCommand({ ShardIterator: iterator, Limit: RECORDS_PER_CALL }));
      const keys = sessionsOf(out.Records ?? []);
      if (keys.size) notify(keys);
      if (out.NextShardIterator) {
        this.iterators.set(shardId, out.NextShardIterator);
        if ((out.Records?.length ?? 0) >= RECORDS_PER_CALL) more = true;
      } else {
        this.iterators.delete(shardId);
        this.orphans.add(shardId);
      }
    }
    if (this.orphans.size && Date.now() - this.lastDescribe >= (this.iterators.size ? DESCRIBE_EVERY_MS : 0)) await this.adoptChildren();
    // Every shard closed without children: the stream was disabled (or replaced); the feed starts over.
    if (this.iterators.size === 0) throw new Error('the table\'s stream has no open shard left');
    return more;
  }

  private async adoptChildren(): Promise<void> {
    for (const shard of await this.describe()) {
      const { ShardId: id, ParentShardId: parent } = shard;
      if (!id || this.known.has(id)) continue;
      // The child of a shard still being read waits until its parent is read to the end.
      if (parent !== undefined && this.known.has(parent) && !this.orphans.has(parent)) continue;
      this.known.add(id);
      if (parent !== undefined && this.orphans.has(parent)) {
        // Read from its first record: nothing between the parent's last record and it is skipped.
        this.orphans.delete(parent);
        await this.position(id, 'TRIM_HORIZON');
      } else if (shard.SequenceNumberRange?.EndingSequenceNumber === undefined) {
        await this.position(id, 'LATEST');
      }
    }
  }

  private async position(shardId: string, type: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    const { api, client } = this.streams;
    const out = await client.send(new api.GetShardIteratorCommand({ StreamArn: this.arn, ShardId: shardId, ShardIteratorType: type }));
    if (out.ShardIterator) this.iterators.set(shardId, out.ShardIterator);
  }

  private async describe(): Promise<Shard[]> {
    const { api, client } = this.streams;
    this.lastDescribe = Date.now();
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await client.send(new api.DescribeStreamCommand({ StreamArn: this.arn, ExclusiveStartShardId: start }));
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }
}

/** The feed keys of the sessions whose items the records name. */
function sessionsOf(records: _Record[]): Set<string> {
  const keys = new Set<string>();
  for (const record of records) {
    const pk = record.dynamodb?.Keys?.['PK']?.S;
    const sk = record.dynamodb?.Keys?.['SK']?.S;
    if (pk === undefined || sk === undefined || !sk.startsWith('S#')) continue;
    // S#<session>[#...]: encoded ids hold no '#', so the session's own key ends at the second '#'.
    const end = sk.indexOf('#', 2);
    keys.add(feedKey(pk, end === -1 ? sk : sk.slice(0, end)));
  }
  return keys;
}

function feedKey(pk: string, sessionKey: string): string {
  return `${pk}\u0000${sessionKey}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
