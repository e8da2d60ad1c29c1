import type { RawInspector } from '@sessions/conformance';
import { KeySpace } from '@sessions/redis';
import type { Cluster, Redis } from 'ioredis';
import type { Sql } from 'postgres';
import { globEscape, scanKeys } from './namespace-dump.js';

/**
 * Per-user raw inspectors of the Redis and PostgreSQL backends, read with the driver (the
 * backends keep theirs in their own tests). DynamoDB's key layout is internal to its package,
 * so its wrapper tests use the namespace dump only.
 */
export function redisInspector(client: Redis | Cluster, keyPrefix: string): RawInspector {
  const keys = new KeySpace(keyPrefix);
  const render = async (key: string): Promise<string> => {
    const type = await client.type(key);
    if (type === 'none') return '';
    const contents = type === 'hash' ? await client.hgetall(key) : type === 'zset' ? await client.zrange(key, 0, -1, 'WITHSCORES') : `(${type})`;
    return `${key} ${type} ${JSON.stringify(contents)}`;
  };
  return {
    async userRecords(userId) {
      const found = await scanKeys(client, `${globEscape(keys.userBase(userId))}*`);
      return (await Promise.all(found.map(render))).filter(Boolean);
    },
    async sessionRecords(userId, sessionId) {
      const k = keys.session(userId, sessionId);
      const rendered = await Promise.all([k.record, k.messages, k.idempotency].map(render));
      const members = await client.zrange(k.index, 0, -1);
      return [...rendered.filter(Boolean), ...members.filter((m) => m.endsWith(k.encodedId)).map((m) => `${k.index} member ${m}`)];
    },
    async sessionExpiry(userId, sessionId) {
      const at = await client.pexpiretime(keys.session(userId, sessionId).record);
      if (at === -2) return undefined;
      return at === -1 ? null : at;
    },
  };
}

export function postgresInspector(sql: Sql, schema: string): RawInspector {
  const s = `"${schema.replaceAll('"', '""')}"`;
  const rowsOf = async (where: string, sessionWhere: string, params: string[]) =>
    (
      await sql.unsafe(
        `SELECT row_to_json(t)::text AS record FROM ${s}.sessions t WHERE ${sessionWhere}
         UNION ALL SELECT row_to_json(t)::text FROM ${s}.session_messages t WHERE ${where}
         UNION ALL SELECT row_to_json(t)::text FROM ${s}.session_idempotency_keys t WHERE ${where}`,
        params,
      )
    ).map((row) => String(row['record']));
  return {
    userRecords: (userId) => rowsOf('t.user_id = $1', 't.user_id = $1', [userId]),
    sessionRecords: (userId, sessionId) => rowsOf('t.user_id = $1 AND t.session_id = $2', 't.user_id = $1 AND t.id = $2', [userId, sessionId]),
    sessionExpiry: async (userId, sessionId) => {
      const rows = await sql.unsafe(`SELECT (extract(epoch FROM expires_at) * 1000)::float8 AS expires FROM ${s}.sessions WHERE user_id = $1 AND id = $2`, [userId, sessionId]);
      if (rows.length === 0) return undefined;
      return (rows[0]!['expires'] as number | null) ?? null;
    },
  };
}
