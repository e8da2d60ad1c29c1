import { DriverSessionStore, storeErrors, type JsonObject, type StoreOptions } from '@sessions/core';
import { closeOwnedClient, unusableClient, type RedisClient } from './driver/client.js';
import { REDIS_BACKEND, RedisDriver } from './driver/driver.js';
import { invalidReplicaWait } from './driver/replicas.js';
import { openClient, takeOwnership } from './connect.js';
import { DEFAULT_KEY_PREFIX, type RedisSessionStoreOptions, type RedisUrlOptions } from './options.js';
import { parseRedisUrl } from './url.js';

const errors = storeErrors(REDIS_BACKEND);

/** The driver over the options' client, and the options the shared store takes. */
function driverAndOptions<M extends JsonObject>(options: RedisSessionStoreOptions<M>): [RedisDriver, StoreOptions<M>] {
  if (typeof options !== 'object' || options === null) throw errors.invalid('RedisSessionStore needs options { client, keyPrefix?, ... }; or use RedisSessionStore.fromUrl(url)');
  const { client, keyPrefix = DEFAULT_KEY_PREFIX, waitForReplicas, ...storeOptions } = options;
  const problem = unusableClient(client);
  if (problem) throw errors.invalid(problem);
  if (typeof keyPrefix !== 'string' || /[{}]/.test(keyPrefix)) {
    throw errors.invalid('keyPrefix must be a string without "{" or "}": the user id is the keys\' hash tag');
  }
  const badWait = invalidReplicaWait(waitForReplicas);
  if (badWait) throw errors.invalid(badWait);
  return [new RedisDriver({ client, keyPrefix, ownsClient: takeOwnership(client), ...(waitForReplicas && { waitForReplicas }) }), storeOptions];
}

/**
 * A `SessionStore` on Redis or Redis Cluster (ioredis): the shared store of `@sessions/core`
 * over {@link RedisDriver}. Every call is one round trip: writes run as Lua scripts that assign
 * seqs, check `expectedLastSeq` and idempotency keys, slide the TTL of every key of the session
 * and move the listing-index entry in one atomic step. All keys of a user share a hash tag, so
 * each script stays in one cluster slot. See the README for the key layout.
 */
export class RedisSessionStore<M extends JsonObject = JsonObject> extends DriverSessionStore<M> {
  /** The ioredis client the store works through. */
  readonly client: RedisClient;
  /** The prefix of every key the store writes. */
  readonly keyPrefix: string;

  /** A store over a client the caller owns: `close()` leaves it open. */
  constructor(options: RedisSessionStoreOptions<M>) {
    const [driver, storeOptions] = driverAndOptions(options);
    super(driver, storeOptions);
    this.client = driver.client;
    this.keyPrefix = driver.keys.prefix;
  }

  /**
   * A store over a new client for `url` (see the README for the grammar):
   * `redis://[user:pass@]host[:port][/db][?keyPrefix=app:][&waitForReplicas=1&waitTimeoutMs=500]`, `rediss://...` (TLS),
   * `redis+cluster://host:port,host:port[?keyPrefix=app:]`, `rediss+cluster://...`. The store owns
   * the client: `close()` quits it. An option given here wins over the URL's `keyPrefix` and `waitForReplicas`.
   */
  static async fromUrl<M extends JsonObject = JsonObject>(url: string, options: RedisUrlOptions<M> = {}): Promise<RedisSessionStore<M>> {
    const parsed = parseRedisUrl(url);
    const keyPrefix = options.keyPrefix ?? parsed.keyPrefix;
    const waitForReplicas = options.waitForReplicas ?? parsed.waitForReplicas;
    return RedisSessionStore.owning(parsed, { ...options, ...(keyPrefix !== undefined && { keyPrefix }), ...(waitForReplicas !== undefined && { waitForReplicas }) });
  }

  /** A store over a new Redis Cluster client seeded with `nodes` (`"host:port"`); `close()` quits it. */
  static async fromClusterNodes<M extends JsonObject = JsonObject>(nodes: string[], options: RedisUrlOptions<M> = {}): Promise<RedisSessionStore<M>> {
    if (!Array.isArray(nodes) || nodes.length === 0) throw errors.invalid('fromClusterNodes needs at least one "host:port" seed node');
    return RedisSessionStore.fromUrl(`redis+cluster://${nodes.join(',')}`, options);
  }

  private static async owning<M extends JsonObject>(url: Parameters<typeof openClient>[0], options: RedisUrlOptions<M>): Promise<RedisSessionStore<M>> {
    const { connectTimeoutMs, reconnectDelayMs, redisOptions, clusterOptions, ...settings } = options;
    const client = openClient(url, { connectTimeoutMs, reconnectDelayMs, redisOptions, clusterOptions });
    try {
      return new RedisSessionStore<M>({ ...settings, client });
    } catch (error) {
      takeOwnership(client);
      await closeOwnedClient(client);
      throw error;
    }
  }
}
