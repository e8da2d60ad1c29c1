import { PostgresSessionStore } from '@sessions/postgres';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from './support/ids.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

// What expiry leaves in the tables, with a clock the test moves.
describe.skipIf(!postgresUrl)('expired sessions in the tables', () => {
  const schema = freshSchema('expiry');
  let sql: Sql;
  let now = Date.UTC(2030, 0, 1);
  const clock = () => now;
  const rows = async (table: string, userId: string) =>
    ((await sql.unsafe(`SELECT count(*)::int AS n FROM "${schema}".${table} WHERE user_id = $1`, [userId])) as { n: number }[])[0]!.n;

  beforeAll(async () => {
    sql = newClient();
    await new PostgresSessionStore({ client: sql, schema }).setup();
  });
  afterAll(async () => {
    await dropSchema(sql, schema);
    await sql.end({ timeout: 5 });
  });

  it('an append on an expired session removes its old messages and keys before starting at seq 1', async () => {
    const store = new PostgresSessionStore({ client: sql, schema, clock, ttlMs: 1000 });
    await store.append('reuse', 's', [{ old: 1 }, { old: 2 }], { idempotencyKey: 'k1' });
    now += 1000;
    expect(await store.append('reuse', 's', { fresh: true }, { idempotencyKey: 'k2' })).toEqual({ firstSeq: 1, lastSeq: 1, duplicate: false });
    expect(await rows('session_messages', 'reuse')).toBe(1);
    expect(await rows('session_idempotency_keys', 'reuse')).toBe(1);
    expect(await store.append('reuse', 's', { again: true }, { idempotencyKey: 'k1' })).toMatchObject({ firstSeq: 2, duplicate: false });
  });

  it('purgeExpired deletes expired sessions in batches, their messages and keys with them', async () => {
    const store = new PostgresSessionStore({ client: sql, schema, clock });
    for (let i = 0; i < 7; i++) await store.append('purge', `s${i}`, [{ i }, { i }], { idempotencyKey: `k${i}` });
    for (let i = 0; i < 5; i++) await store.updateSession('purge', `s${i}`, { ttlMs: 500 });
    await store.updateSession('purge', 's5', { ttlMs: 60_000 });
    now += 501;
    expect(await store.purgeExpired({ batchSize: 2 })).toBe(5);
    expect(await rows('sessions', 'purge')).toBe(2);
    expect(await rows('session_messages', 'purge')).toBe(4);
    expect(await rows('session_idempotency_keys', 'purge')).toBe(2);
    expect(await store.purgeExpired()).toBe(0);
  });
});
