import { readFile } from 'node:fs/promises';
import { PostgresSessionStore } from '@sessions/postgres';
import { migrateSchema } from '../src/driver/migrations.js';
import { postgresJsClient } from '../src/driver/sql-client.js';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from './support/ids.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

const migrationsDir = new URL('../migrations/', import.meta.url);
const ALL = ['0000_initial', '0001_expiry_index', '0002_long_ids'];

describe('shipped migrations', () => {
  it('lists every drizzle-kit migration in the journal, each written for the placeholder schema', async () => {
    const journal = JSON.parse(await readFile(new URL('meta/_journal.json', migrationsDir), 'utf8')) as { entries: { idx: number; tag: string }[] };
    expect(journal.entries.map((e) => e.idx)).toEqual(journal.entries.map((_, i) => i));
    for (const entry of journal.entries) {
      const text = await readFile(new URL(`${entry.tag}.sql`, migrationsDir), 'utf8');
      expect(text, entry.tag).toContain('"__sessions_schema__".');
      expect(text, `${entry.tag} must not name a real schema`).not.toMatch(/"public"\./);
    }
  });
});

describe.skipIf(!postgresUrl)('setup() on a PostgreSQL server', () => {
  let sql: Sql;
  const schemas: string[] = [];
  const schema = (tag: string) => {
    const name = freshSchema(tag);
    schemas.push(name);
    return name;
  };
  const versions = (name: string) =>
    sql.unsafe(`SELECT version, tag FROM "${name}".sessions_schema_migrations ORDER BY version`) as Promise<{ version: number; tag: string }[]>;

  beforeAll(() => {
    sql = newClient();
  });
  afterAll(async () => {
    for (const name of schemas) await dropSchema(sql, name);
    await sql.end({ timeout: 5 });
  });

  it('creates nothing until asked, then creates the schema and tables and records the version', async () => {
    const name = schema('fresh');
    const store = new PostgresSessionStore({ client: sql, schema: name });
    await store.getSession('u', 's').catch(() => undefined);
    const [before] = await sql`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = ${name}`;
    expect(before?.['n'], 'constructing and using a store runs no DDL').toBe(0);
    expect(await migrateSchema(postgresJsClient(sql), name)).toEqual({ from: 0, to: 3, applied: ALL });
    expect((await versions(name)).map((v) => v.version)).toEqual([1, 2, 3]);
    await store.setup();
    expect(await migrateSchema(postgresJsClient(sql), name), 'a second run is a no-op').toEqual({ from: 3, to: 3, applied: [] });
    expect((await versions(name)).map((v) => v.version)).toEqual([1, 2, 3]);
  });

  it('says to run setup() when the tables are missing, with no SQL in the message', async () => {
    const store = new PostgresSessionStore({ client: sql, schema: schema('missing') });
    const error = await store.append('u', 's', { secret: 'hunter2' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', backend: 'postgres' });
    expect((error as Error).message).toContain('setup()');
    expect((error as Error).message).not.toMatch(/hunter2|INSERT|SELECT/);
    expect((error as Error).cause).toBeDefined();
  });

  it('upgrades a database of schema version 2 (the previous release), whose data then reads and writes as before', async () => {
    const name = schema('upgrade');
    const store = new PostgresSessionStore({ client: sql, schema: name });
    expect(await migrateSchema(postgresJsClient(sql), name, 2)).toEqual({ from: 0, to: 2, applied: ['0000_initial', '0001_expiry_index'] });
    // Rows as the previous release wrote them (no *_full columns, no removed count).
    await sql.unsafe(`INSERT INTO "${name}".sessions (user_id, id, metadata, created_at, updated_at, expires_at, ttl_ms, last_seq, message_count)
      VALUES ('alice', 'chat', '{"title":"old"}', now(), now(), NULL, NULL, 2, 2), ('alice', 'short', '{}', now(), now(), now() + interval '1 hour', 3600000, 0, 0)`);
    await sql.unsafe(`INSERT INTO "${name}".session_messages (user_id, session_id, seq, message, created_at)
      VALUES ('alice', 'chat', 1, '{"role":"user","content":"hi"}', now()), ('alice', 'chat', 2, '{"role":"assistant","content":"hello"}', now())`);
    await sql.unsafe(`INSERT INTO "${name}".session_idempotency_keys (user_id, session_id, key, first_seq, last_seq, created_at) VALUES ('alice', 'chat', 'k', 1, 2, now())`);

    expect(await migrateSchema(postgresJsClient(sql), name)).toEqual({ from: 2, to: 3, applied: ['0002_long_ids'] });
    expect((await store.getMessages('alice', 'chat')).map((m) => m.message)).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
    ]);
    expect(await store.append('alice', 'chat', { role: 'user', content: 'again' }, { idempotencyKey: 'k' })).toEqual({ firstSeq: 1, lastSeq: 2, duplicate: true });
    expect(await store.replaceTail('alice', 'chat', { afterSeq: 1, messages: [{ n: 3 }] })).toEqual({ removed: 1, firstSeq: 3, lastSeq: 3, duplicate: false });
    expect((await store.listSessions('alice')).items.map((s) => s.id).sort()).toEqual(['chat', 'short']);
    expect((await store.getSession('alice', 'chat'))?.metadata).toEqual({ title: 'old' });
  });

  it('applies each migration once when several instances migrate at the same time', async () => {
    const name = schema('race');
    const clients = Array.from({ length: 4 }, () => newClient({ max: 1 }));
    try {
      const results = await Promise.all(clients.map((client) => migrateSchema(postgresJsClient(client), name)));
      expect(results.flatMap((r) => r.applied).sort()).toEqual(ALL);
      expect(results.every((r) => r.to === 3)).toBe(true);
      expect((await versions(name)).map((v) => v.tag)).toEqual(ALL);
    } finally {
      await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
    }
  });

  it('keeps schemas apart: the same ids in two schemas are two sessions', async () => {
    const [a, b] = [schema('apart_a'), schema('apart_b')];
    const storeA = new PostgresSessionStore({ client: sql, schema: a });
    const storeB = new PostgresSessionStore({ client: sql, schema: b });
    await Promise.all([storeA.setup(), storeB.setup()]);
    await storeA.append('u', 's', { from: 'a' });
    expect(await storeB.getSession('u', 's')).toBeNull();
    await storeB.append('u', 's', [{ from: 'b' }, { from: 'b' }]);
    expect((await storeA.getSession('u', 's'))?.lastSeq).toBe(1);
  });

  it('migrates a schema whose name holds $ patterns into that very schema (tenant$$b)', async () => {
    const name = schema('tenant$$b');
    const store = new PostgresSessionStore({ client: sql, schema: name });
    await store.setup();
    const tables = await sql`SELECT table_name FROM information_schema.tables WHERE table_schema = ${name} ORDER BY table_name`;
    expect(tables.map((t) => t['table_name'])).toEqual(['session_idempotency_keys', 'session_messages', 'sessions', 'sessions_schema_migrations']);
    await store.append('u', 's', { n: 1 });
    expect((await store.getSession('u', 's'))?.lastSeq).toBe(1);
    const stray = await sql`SELECT nspname FROM pg_namespace WHERE nspname LIKE ${'%' + name.replace('$$', '$') + '%'} AND nspname <> ${name}`;
    expect(stray, 'no schema with a rewritten name').toEqual([]);
  });

  it('refuses a schema written by a newer release, and writes nothing', async () => {
    const name = schema('newer');
    const store = new PostgresSessionStore({ client: sql, schema: name });
    await store.setup();
    await sql.unsafe(`INSERT INTO "${name}".sessions_schema_migrations (version, tag) VALUES (99, '0098_future')`);
    const error = await store.setup().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', retryable: false });
    expect((error as Error).message).toMatch(/version 99.*upgrade @sessions\/postgres/);
  });
});
