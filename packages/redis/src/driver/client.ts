import { Cluster, Redis } from 'ioredis';

/** A connected ioredis client: a single server (`Redis`) or a Redis Cluster (`Cluster`). */
export type RedisClient = Redis | Cluster;

/**
 * Why the driver cannot work over `client`, or `undefined` when it can. Refused: anything
 * that is not an ioredis client; a client with ioredis' own `keyPrefix` (the scripts build some
 * keys from their arguments, which ioredis would not prefix); and a client that resends a
 * command whose connection dropped before the reply, because the server may already have run
 * it: a write would be applied twice with nobody retrying.
 */
export function unusableClient(client: unknown): string | undefined {
  if (!(client instanceof Redis) && !(client instanceof Cluster)) {
    return 'client must be an ioredis Redis or Cluster instance; or use RedisSessionStore.fromUrl(url)';
  }
  if (client instanceof Redis) {
    if (client.options.keyPrefix) return keyPrefixRefused;
    if (client.options.autoResendUnfulfilledCommands !== false) {
      return 'the ioredis client resends commands left without a reply when its connection drops (ioredis option autoResendUnfulfilledCommands, true by default), so a write the server already ran would be applied twice: create it with new Redis(url, { autoResendUnfulfilledCommands: false }), or use RedisSessionStore.fromUrl(url)';
    }
    return undefined;
  }
  const options = client.options;
  if (options.keyPrefix ?? options.redisOptions?.keyPrefix) return keyPrefixRefused;
  if ((options.retryDelayOnFailover ?? 100) > 0) {
    return 'the ioredis Cluster resends a command whose node connection closed before the reply (ioredis cluster option retryDelayOnFailover, 100 by default), so a write the server already ran would be applied twice: create it with new Cluster(nodes, { retryDelayOnFailover: 0 }), or use RedisSessionStore.fromUrl("redis+cluster://...")';
  }
  if (typeof options.clusterNodeRetryStrategy === 'function' && options.redisOptions?.autoResendUnfulfilledCommands !== false) {
    return 'the ioredis Cluster reconnects its nodes (clusterNodeRetryStrategy) and they resend commands left without a reply, so a write the server already ran would be applied twice: add redisOptions: { autoResendUnfulfilledCommands: false }';
  }
  return undefined;
}

const keyPrefixRefused = 'the ioredis client has its own keyPrefix option; remove it and pass the prefix as the store option keyPrefix';

/** Quits a client the driver owns and waits until its connection has ended. */
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
