import type { StoreErrors } from '@sessions/core';
import { Cluster, Redis } from 'ioredis';
import type { RedisClient } from './options.js';

/** Clients made by `fromUrl` / `fromClusterNodes`, marked so the constructor knows it owns them. */
const ownedClients = new WeakSet<RedisClient>();

/** Marks a client the store creates itself: `close()` will quit it. */
export function markOwned(client: RedisClient): void {
  ownedClients.add(client);
  // Connection errors reach the caller as UNAVAILABLE from the call that met them; without a
  // listener ioredis would also print each one to stderr as an "Unhandled error event".
  client.on('error', () => undefined);
}

/** Whether the store owns `client` (and forgets the mark, so a second store over it does not). */
export function takeOwnership(client: RedisClient): boolean {
  const owned = ownedClients.has(client);
  ownedClients.delete(client);
  return owned;
}

/**
 * Checks the client and key prefix a store is built with. A client with ioredis' own
 * `keyPrefix` is refused: the scripts build some keys from their arguments, which ioredis
 * would not prefix. A prefix with a brace would change the keys' hash tag.
 */
export function checkClientAndPrefix(client: unknown, prefix: unknown, errors: StoreErrors): asserts client is RedisClient {
  if (!(client instanceof Redis) && !(client instanceof Cluster)) {
    throw errors.invalid('client must be an ioredis Redis or Cluster instance; or use RedisSessionStore.fromUrl(url)');
  }
  const driverPrefix = client instanceof Cluster ? (client.options.keyPrefix ?? client.options.redisOptions?.keyPrefix) : client.options.keyPrefix;
  if (driverPrefix) {
    throw errors.invalid('the ioredis client has its own keyPrefix option; remove it and pass the prefix as the store option keyPrefix');
  }
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw errors.invalid('keyPrefix must be a string without "{" or "}": the user id is the keys\' hash tag');
  }
}

/** Quits a client the store owns and waits until its connection has ended. */
export async function closeOwnedClient(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  if (client.status !== 'ready') {
    // Not connected (the server is down, or ioredis gave up): QUIT would wait for a
    // connection that may never come, so drop the socket at once.
    const dropped = new Promise<void>((resolve) => client.once('end', () => resolve()));
    client.disconnect();
    await Promise.race([dropped, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
    return;
  }
  const ended = new Promise<void>((resolve) => (client.status === 'end' ? resolve() : client.once('end', () => resolve())));
  try {
    await client.quit();
  } catch {
    // Already disconnected: nothing left to release.
    client.disconnect();
  }
  // QUIT resolves on the server's OK; wait for the socket to close so nothing outlives close().
  await ended;
}
