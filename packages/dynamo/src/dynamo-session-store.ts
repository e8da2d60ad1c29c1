import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DriverSessionStore, storeErrors, type JsonObject, type ParsedStoreUrl } from '@sessions/core';
import { DynamoDriver } from './driver/driver.js';
import { BACKEND } from './driver/errors.js';
import { DEFAULT_MAX_RETRIES, DEFAULT_SESSION_CACHE_SIZE, DEFAULT_STREAM_POLL_MS, DEFAULT_TABLE_NAME, type DynamoSessionStoreOptions } from './options.js';
import { dynamoUrlOptions } from './url.js';

/**
 * A `SessionStore` on Amazon DynamoDB (or any DynamoDB-compatible endpoint), in one table:
 * a session item per session and an item per message, keyed so that an append is one
 * transaction and `getMessages({ limit })` one query, whatever the session's length. See the
 * README for the key schema, the limits and what is atomic.
 *
 * ```ts
 * const store = new DynamoSessionStore({ client: new DynamoDBClient({}), tableName: 'sessions' });
 * await store.setup(); // once, at deploy time: creates the table if missing
 * ```
 */
export class DynamoSessionStore<M extends JsonObject = JsonObject> extends DriverSessionStore<M> {
  /** The table this store reads and writes. */
  readonly tableName: string;
  /** The client, the caller's or the store's own. */
  readonly client: DynamoDBClient;

  constructor(options: DynamoSessionStoreOptions<M> = {}) {
    const driver = createDriver(options);
    super(driver, options);
    this.tableName = driver.tableName;
    this.client = driver.client;
  }

  /**
   * A store that owns its client, from a URL: `dynamodb://host:port/table[?region=..&tls=1]`
   * (DynamoDB Local or another compatible endpoint) or `dynamodb:table[?region=..]` (AWS,
   * credentials from the environment). What the URL says wins over `options`. `close()`
   * destroys the client. Async like every backend's `fromUrl`, though nothing waits here.
   */
  static async fromUrl<M extends JsonObject = JsonObject>(
    url: string | ParsedStoreUrl,
    options: Omit<DynamoSessionStoreOptions<M>, 'client' | 'endpoint'> = {},
  ): Promise<DynamoSessionStore<M>> {
    return new DynamoSessionStore<M>(dynamoUrlOptions<M>(url, options));
  }
}

/** Checks the backend's own options, then builds the driver (and the client, when none is passed). */
function createDriver<M extends JsonObject>(options: DynamoSessionStoreOptions<M>): DynamoDriver {
  const errors = storeErrors(BACKEND);
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) throw errors.invalid(`maxRetries must be a non-negative integer, got ${String(maxRetries)}`);
  const sessionCacheSize = options.sessionCacheSize ?? DEFAULT_SESSION_CACHE_SIZE;
  if (!Number.isSafeInteger(sessionCacheSize) || sessionCacheSize < 0) {
    throw errors.invalid(`sessionCacheSize must be a non-negative integer, got ${String(sessionCacheSize)}`);
  }
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  if (typeof tableName !== 'string' || !/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw errors.invalid(`tableName must be 3 to 255 characters of A-Z a-z 0-9 _ . -, got ${JSON.stringify(tableName)}`);
  }
  const streams = options.streams ? { pollIntervalMs: DEFAULT_STREAM_POLL_MS, ...(options.streams === true ? {} : options.streams) } : undefined;
  if (streams && (!Number.isSafeInteger(streams.pollIntervalMs) || streams.pollIntervalMs < 1)) {
    throw errors.invalid(`streams.pollIntervalMs must be a positive integer, got ${String(streams.pollIntervalMs)}`);
  }
  const client =
    options.client ??
    new DynamoDBClient({
      ...options.clientConfig,
      ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
      ...(options.region !== undefined ? { region: options.region } : {}),
    });
  return new DynamoDriver({ client, ownsClient: options.client === undefined, tableName, maxRetries, sessionCacheSize, table: options.table, streams });
}
