import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisClient } from './driver/client.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_RECONNECT_DELAY_MS, type RedisUrlOptions } from './options.js';
import type { RedisUrl } from './url.js';

/** Clients made by `fromUrl` / `fromClusterNodes`, marked so the store knows it owns them. */
const ownedClients = new WeakSet<RedisClient>();

/** Whether the store owns `client` (and forgets the mark, so a second store over it does not). */
export function takeOwnership(client: RedisClient): boolean {
  const owned = ownedClients.has(client);
  ownedClients.delete(client);
  return owned;
}

type ConnectionSettings = Pick<RedisUrlOptions, 'connectTimeoutMs' | 'reconnectDelayMs' | 'redisOptions' | 'clusterOptions'>;

/**
 * The ioredis options of every client the store opens. Nothing is resent after a dropped
 * connection (the server may have run it). A call made while the server is down fails after
 * two reconnection attempts (`maxRetriesPerRequest: 1`) instead of ioredis' twenty with a
 * growing backoff, while the client goes on reconnecting at a fixed pace.
 */
function nodeOptions(settings: ConnectionSettings): RedisOptions {
  const delay = settings.reconnectDelayMs ?? DEFAULT_RECONNECT_DELAY_MS;
  return {
    connectTimeout: settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    retryStrategy: () => delay,
    autoResendUnfulfilledCommands: false,
  };
}

/** Opens the client a parsed URL names; the store that receives it owns it. */
export function openClient(url: RedisUrl, settings: ConnectionSettings): RedisClient {
  let client: RedisClient;
  if (url.kind === 'single') {
    client = new Redis(url.url, { ...nodeOptions(settings), ...settings.redisOptions });
  } else {
    const redisOptions: RedisOptions = {
      ...nodeOptions(settings),
      ...(url.username !== undefined && { username: url.username }),
      ...(url.password !== undefined && { password: url.password }),
      ...(url.tls && { tls: {} }),
      ...settings.clusterOptions?.redisOptions,
    };
    const clusterOptions: ClusterOptions = {
      retryDelayOnFailover: 0,
      ...settings.clusterOptions,
      redisOptions,
    };
    client = new Cluster(url.nodes, clusterOptions);
  }
  ownedClients.add(client);
  // Connection errors reach the caller as UNAVAILABLE from the call that met them; without a
  // listener ioredis would also print each one to stderr as an "Unhandled error event".
  client.on('error', () => undefined);
  return client;
}
