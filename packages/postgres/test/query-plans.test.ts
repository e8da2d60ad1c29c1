import { randomUUID } from 'node:crypto';
import { PostgresSessionStore } from '@sessions/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSessionsFirstPageSql, listSessionsNextPageSql } from '../src/queries/list-sessions.js';
import { tableNames } from '../src/queries/tables.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

// Rule 2 for listings: a page is an index walk of sessions_list_idx, not a sort of every
// session of the user. Checked on the plan, not on timings.
describe.skipIf(!postgresUrl)('listSessions query plans', () => {
  const schema = `plans_${randomUUID().slice(0, 8)}`;
  const sql = newClient({ max: 1 });
  beforeAll(async () => {
    const store = await PostgresSessionStore.fromUrl(postgresUrl!, { schema });
    await store.migrate();
    await store.close();
    const t = tableNames(schema);
    await sql.unsafe(`INSERT INTO ${t.sessions} (user_id, id, metadata, created_at, updated_at, expires_at, ttl_ms, last_seq, message_count)
      SELECT 'many', 's' || g, '{}', now(), now() - (g || ' seconds')::interval, NULL, NULL, 0, 0 FROM generate_series(1, 5000) g`);
    await sql.unsafe(`ANALYZE ${t.sessions}`);
  });
  afterAll(async () => {
    await dropSchema(sql, schema);
    await sql.end();
  });

  const planOf = async (text: string, params: unknown[]) => {
    const rows = await sql.unsafe(`EXPLAIN ${text}`, params as never[]);
    return rows.map((r) => String(r['QUERY PLAN'])).join('\n');
  };

  it('walks the listing index for the first page and for a page after a cursor, with no sort', async () => {
    const t = tableNames(schema);
    const now = Date.now();
    for (const plan of [
      await planOf(listSessionsFirstPageSql(t), ['many', now, 51]),
      await planOf(listSessionsNextPageSql(t), ['many', now, 51, now - 4_000_000, 's4000']),
    ]) {
      expect(plan).toContain('sessions_list_idx');
      expect(plan).not.toMatch(/\bSort\b/);
    }
  });
});
