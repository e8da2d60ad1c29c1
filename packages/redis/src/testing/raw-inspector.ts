import type { RawInspector } from '@sessions/core';
import { KeySpace } from '../driver/keys.js';
import type { RedisClient } from '../driver/client.js';
import { Cluster, type Redis } from 'ioredis';

/** Every master of a cluster client, or the client itself. */
export async function masters(client: RedisClient): Promise<Redis[]> {
  if (!(client instanceof Cluster)) return [client];
  if (client.status !== 'ready') await client.ping();
  return client.nodes('master');
}

/** Every key matching `pattern` on every master (SCAN; test-only). */
export async function scanKeys(client: RedisClient, pattern: string): Promise<string[]> {
  const keys = new Set<string>();
  for (const node of await masters(client)) {
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const key of batch) keys.add(key);
    } while (cursor !== '0');
  }
  return [...keys].sort();
}

/** Escapes glob characters for SCAN MATCH, so an id is matched literally. */
export function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** One key and everything in it, as text: `<key> <type> <contents>`. */
export async function renderKey(client: RedisClient, key: string): Promise<string> {
  const type = await client.type(key);
  let contents: unknown;
  switch (type) {
    case 'hash':
      contents = await client.hgetall(key);
      break;
    case 'zset':
      contents = await client.zrange(key, 0, -1, 'WITHSCORES');
      break;
    // The store writes only hashes and sorted sets; anything else is rendered whole too, so a
    // stray key cannot hide content from a no-plaintext check.
    case 'list':
      contents = await client.lrange(key, 0, -1);
      break;
    case 'set':
      contents = await client.smembers(key);
      break;
    case 'string':
      contents = await client.get(key);
      break;
    case 'none':
      return '';
    default:
      contents = `(${type})`;
  }
  return `${key} ${type} ${JSON.stringify(contents)}`;
}

/**
 * Reads what the store really wrote, with the raw client: every key carrying the user's hash
 * tag (records, messages, idempotency keys, the listing index) and the native expiry.
 */
export function redisInspector(client: RedisClient, keyPrefix: string): RawInspector {
  const keys = new KeySpace(keyPrefix);
  return {
    async userRecords(userId) {
      const found = await scanKeys(client, `${globEscape(keys.userBase(userId))}*`);
      return (await Promise.all(found.map((key) => renderKey(client, key)))).filter(Boolean);
    },
    async sessionRecords(userId, sessionId) {
      const k = keys.session(userId, sessionId);
      const rendered = await Promise.all([k.record, k.messages, k.idempotency].map((key) => renderKey(client, key)));
      const members = await client.zrange(k.index, 0, -1);
      const entries = members.filter((m) => m === k.encodedId).map((m) => `${k.index} member ${m}`);
      return [...rendered.filter(Boolean), ...entries];
    },
    async sessionExpiry(userId, sessionId) {
      const at = await client.pexpiretime(keys.session(userId, sessionId).record);
      if (at === -2) return undefined;
      return at === -1 ? null : at;
    },
  };
}
