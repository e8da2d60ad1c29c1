import { PostgresSessionStore } from '@sessions/postgres';
import { sessionTables } from '@sessions/postgres/drizzle';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from './support/ids.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

describe('PostgresSessionStore options', () => {
  it('needs exactly one client', () => {
    expect(() => new PostgresSessionStore({})).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(() => new PostgresSessionStore({ client: {} as Sql })).toThrow(/postgres\.js client/);
  });

  it('checks the schema name before anything reaches the database', () => {
    const client = (() => undefined) as unknown as Sql;
    Object.assign(client, { unsafe: () => undefined, begin: () => undefined });
    for (const schema of ['', 'x'.repeat(64), 'a\u0000b', 'pg_catalog']) {
      expect(() => new PostgresSessionStore({ client, schema }), JSON.stringify(schema)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    }
    expect(new PostgresSessionStore({ client, schema: 'Tenant "A"; DROP TABLE x' }).schema).toBe('Tenant "A"; DROP TABLE x');
  });

  it('refuses bad options of fromUrl with INVALID_ARGUMENT (and closes the pool it opened)', async () => {
    await expect(PostgresSessionStore.fromUrl('postgres://app@127.0.0.1:1/db', { ttlMs: -5 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(PostgresSessionStore.fromUrl('postgres://app@127.0.0.1:1/db', { schema: 'pg_x' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(PostgresSessionStore.fromUrl('')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('maps an unreachable server to UNAVAILABLE with the driver error as cause and no password in the message', async () => {
    const store = await PostgresSessionStore.fromUrl('postgres://app:s3cret-pw@127.0.0.1:1/nowhere');
    try {
      const error = await store.getSession('u', 's').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: true, fault: 'server' });
      expect((error as Error).cause).toBeDefined();
      expect((error as Error).message).not.toContain('s3cret-pw');
      const health = await store.health();
      expect(health.ok).toBe(false);
      expect(health.detail).not.toContain('s3cret-pw');
    } finally {
      await store.close();
    }
  });
});

describe.skipIf(!postgresUrl)('PostgresSessionStore construction over a server', () => {
  let admin: Sql;
  const schema = freshSchema('construct');
  beforeAll(async () => {
    admin = newClient();
    await new PostgresSessionStore({ client: admin, schema }).setup();
  });
  afterAll(async () => {
    await dropSchema(admin, schema);
    await admin.end({ timeout: 5 });
  });

  it('leaves a caller-owned postgres.js client open on close, and rejects calls with CLOSED', async () => {
    const client = newClient();
    const store = new PostgresSessionStore({ client, schema });
    await store.append('u', 'owned', { n: 1 });
    await store.close();
    await store.close();
    await expect(store.getSession('u', 'owned')).rejects.toMatchObject({ code: 'CLOSED' });
    expect(await client`SELECT 1 AS one`).toEqual([{ one: 1 }]);
    await client.end();
  });

  it('works over a drizzle database, whose tables then read the same rows', async () => {
    // drizzle changes the client's type parsers: give it its own client, as an app would.
    const client = newClient();
    const db = drizzle(client);
    const store = new PostgresSessionStore({ db, schema });
    const created = await store.createSession('drizzle-user', { sessionId: 'd1', metadata: { via: 'drizzle' } });
    expect(created.createdAt).toBeInstanceOf(Date);
    await store.append('drizzle-user', 'd1', [{ a: 1 }, { b: 2 }]);
    const session = await store.getSession('drizzle-user', 'd1');
    expect(session?.messages.map((m) => m.createdAt instanceof Date)).toEqual([true, true]);
    const { sessions, messages } = sessionTables(schema);
    const rows = await db.select().from(sessions).where(eq(sessions.userId, 'drizzle-user'));
    expect(rows).toMatchObject([{ id: 'd1', lastSeq: 2, messageCount: 2, metadata: { via: 'drizzle' } }]);
    const stored = await db.select().from(messages).where(eq(messages.sessionId, 'd1')).orderBy(messages.seq);
    expect(stored.map((m) => m.message)).toEqual([{ a: 1 }, { b: 2 }]);
    await store.close();
    await client.end();
  });

  it('owns the pool it opens from a URL and ends it on close', async () => {
    const store = await PostgresSessionStore.fromUrl(postgresUrl!, { schema, maxConnections: 2 });
    await store.append('url-user', 's', { n: 1 });
    expect((await store.health()).ok).toBe(true);
    await store.close();
    expect(await store.health()).toMatchObject({ ok: false });
    await expect(store.append('url-user', 's', { n: 2 })).rejects.toMatchObject({ code: 'CLOSED' });
    expect(await new PostgresSessionStore({ client: admin, schema }).getMessages('url-user', 's')).toHaveLength(1);
  });

  it('runs without prepared statements when asked (transaction-mode poolers)', async () => {
    const store = new PostgresSessionStore({ client: admin, schema, prepare: false });
    await store.append('unprepared', 's', [{ n: 1 }, { n: 2 }]);
    expect((await store.getMessages('unprepared', 's', { limit: 1 })).map((m) => m.message)).toEqual([{ n: 2 }]);
  });
});
