import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from './client.js';

/**
 * The servers that hold data: the client itself, or every master of a cluster. Waits for a
 * cluster client to learn its topology first (a fresh `Cluster` knows no nodes yet).
 */
async function dataNodes(client: RedisClient): Promise<Redis[]> {
  if (!(client instanceof Cluster)) return [client];
  if (client.status !== 'ready') await client.ping();
  return client.nodes('master');
}

/**
 * Every key matching `pattern` (a SCAN glob) of type sorted set, on every master, each once.
 * Used only by the administrative calls (`listUsers`, `purgeExpired`): the hot paths never scan.
 */
export async function* scanSortedSets(client: RedisClient, pattern: string): AsyncIterable<string> {
  const seen = new Set<string>();
  for (const node of await dataNodes(client)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000, 'TYPE', 'zset');
      cursor = next;
      for (const key of keys) {
        // SCAN may return a key more than once while the keyspace is being rehashed.
        if (seen.has(key)) continue;
        seen.add(key);
        yield key;
      }
    } while (cursor !== '0');
  }
}
