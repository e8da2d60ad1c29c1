import type { JsonObject } from '@sessions/core';
import { PostgresSessionStore } from '@sessions/postgres';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from './support/ids.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

/** Messages jsonb would refuse or rewrite: they must come back exactly. */
const AWKWARD_MESSAGES: JsonObject[] = [
  { role: 'user', content: 'nul \u0000 inside', nested: { k: '\u0000' } },
  { role: 'user', content: 'lone surrogates \ud800 and \udc00', pair: '😀' },
  { big: 2 ** 53 - 1, negative: -(2 ** 53 - 1), small: 5e-324, float: 0.1 + 0.2, exp: 1e21 },
  { z: 1, a: 2, m: { y: [3, { b: null, a: true }] } },
  { text: 'quotes \' " backslash \\ and \\u0000 as text', emoji: 'ü🙂', rtl: 'שלום' },
];

describe.skipIf(!postgresUrl)('round trips of awkward JSON', () => {
  const schema = freshSchema('roundtrip');
  let sql: Sql;
  beforeAll(async () => {
    sql = newClient();
    await new PostgresSessionStore({ client: sql, schema }).setup();
  });
  afterAll(async () => {
    await dropSchema(sql, schema);
    await sql.end({ timeout: 5 });
  });

  it('gives back every message deep-equal to its JSON form, and stores it as json text', async () => {
    const store = new PostgresSessionStore({ client: sql, schema });
    await store.append('u', 's', AWKWARD_MESSAGES);
    await store.updateSession('u', 's', { metadata: { title: 'nul \u0000', lone: '\udc00' } });
    const session = await store.getSession('u', 's');
    expect(session?.messages.map((m) => m.message)).toEqual(JSON.parse(JSON.stringify(AWKWARD_MESSAGES)));
    expect(session?.metadata).toEqual({ title: 'nul \u0000', lone: '\udc00' });
    const [column] = await sql`SELECT data_type FROM information_schema.columns WHERE table_schema = ${schema} AND table_name = 'session_messages' AND column_name = 'message'`;
    expect(column?.['data_type']).toBe('json');
  });
});
