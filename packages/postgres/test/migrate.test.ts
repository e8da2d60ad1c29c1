import { readFile } from 'node:fs/promises';
import { PostgresSessionStore } from '@sessions/postgres';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from './support/ids.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

const migrationsDir = new URL('../migrations/', import.meta.url);

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

describe.skipIf(!postgresUrl)('migrate() on a PostgreSQL server', () => {
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
    expect(await store.migrate()).toEqual({ from: 0, to: 2, applied: ['0000_initial', '0001_expiry_index'] });
    expect((await versions(name)).map((v) => v.version)).toEqual([1, 2]);
    expect(await store.migrate(), 'a second run is a no-op').toEqual({ from: 2, to: 2, applied: [] });
    expect((await versions(name)).map((v) => v.version)).toEqual([1, 2]);
  });

  it('says to run migrate() when the tables are missing, with no SQL in the message', async () => {
    const store = new PostgresSessionStore({ client: sql, schema: schema('missing') });
    const error = await store.append('u', 's', { secret: 'hunter2' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', backend: 'postgres' });
    expect((error as Error).message).toContain('migrate()');
    expect((error as Error).message).not.toMatch(/hunter2|INSERT|SELECT/);
    expect((error as Error).cause).toBeDefined();
  });

  it('upgrades a database at the first schema version, keeping its data', async () => {
    const name = schema('upgrade');
    const store = new PostgresSessionStore({ client: sql, schema: name });
    expect(await store.migrate({ toVersion: 1 })).toEqual({ from: 0, to: 1, applied: ['0000_initial'] });
    await store.append('alice', 'chat', [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }], { idempotencyKey: 'k' });
    await store.createSession('alice', { sessionId: 'short', ttlMs: 60_000 });
    const index = () => sql`SELECT indexname FROM pg_indexes WHERE schemaname = ${name} AND indexname = 'sessions_expires_at_idx'`;
    expect(await index()).toHaveLength(0);

    expect(await store.migrate()).toEqual({ from: 1, to: 2, applied: ['0001_expiry_index'] });
    expect(await index()).toHaveLength(1);
    expect((await store.getMessages('alice', 'chat')).map((m) => m.message)).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
    ]);
    expect(await store.append('alice', 'chat', { role: 'user', content: 'again' }, { idempotencyKey: 'k' })).toMatchObject({ duplicate: true });
    expect((await store.listSessions('alice')).items.map((s) => s.id).sort()).toEqual(['chat', 'short']);
  });

  it('applies each migration once when several instances migrate at the same time', async () => {
    const name = schema('race');
    const clients = Array.from({ length: 4 }, () => newClient({ max: 1 }));
    try {
      const results = await Promise.all(clients.map((client) => new PostgresSessionStore({ client, schema: name }).migrate()));
      expect(results.flatMap((r) => r.applied).sort()).toEqual(['0000_initial', '0001_expiry_index']);
      expect(results.every((r) => r.to === 2)).toBe(true);
      expect((await versions(name)).map((v) => v.tag)).toEqual(['0000_initial', '0001_expiry_index']);
    } finally {
      await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
    }
  });

  it('keeps schemas apart: the same ids in two schemas are two sessions', async () => {
    const [a, b] = [schema('apart_a'), schema('apart_b')];
    const storeA = new PostgresSessionStore({ client: sql, schema: a });
    const storeB = new PostgresSessionStore({ client: sql, schema: b });
    await Promise.all([storeA.migrate(), storeB.migrate()]);
    await storeA.append('u', 's', { from: 'a' });
    expect(await storeB.getSession('u', 's')).toBeNull();
    await storeB.append('u', 's', [{ from: 'b' }, { from: 'b' }]);
    expect((await storeA.getSession('u', 's'))?.lastSeq).toBe(1);
  });
});
