import { randomUUID } from 'node:crypto';
import { PostgresSessionStore } from '@sessions/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFirstPageStatement, listNextPageStatement } from '../src/driver/list.js';
import { Statements } from '../src/driver/statement.js';
import { tableNames } from '../src/driver/tables.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

// Rule 2 for listings: a page is an index walk of sessions_list_idx, not a sort of every
// session of the user. Checked on the plan, not on timings.
describe.skipIf(!postgresUrl)('listSessions query plans', () => {
  const schema = `plans_${randomUUID().slice(0, 8)}`;
  const sql = newClient({ max: 1 });
  beforeAll(async () => {
    const store = await PostgresSessionStore.fromUrl(postgresUrl!, { schema });
    await store.setup();
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
    const statements = new Statements(schema);
    const now = Date.now();
    const first = statements.compile(listFirstPageStatement);
    const next = statements.compile(listNextPageStatement);
    const values = { user: 'many', now, rows: 51, cursorUpdatedAt: now - 4_000_000, cursorId: 's4000' } as Record<string, unknown>;
    for (const plan of [
      await planOf(first.text, first.names.map((n) => values[n])),
      await planOf(next.text, next.names.map((n) => values[n])),
    ]) {
      expect(plan).toContain('sessions_list_idx');
      expect(plan).not.toMatch(/\bSort\b/);
    }
  });
});
