import { openStore } from '@sessions/core';
import { parsePostgresUrl, PostgresSessionStore } from '@sessions/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { freshSchema } from './support/ids.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

describe('postgres:// and pglite: URLs', () => {
  it('reads the grammar: the schema parameter is the store option, the rest goes to postgres.js', () => {
    expect(parsePostgresUrl('postgres://app:pw@db:5432/app?schema=tenant$$b&sslmode=require')).toEqual({
      kind: 'server',
      url: 'postgres://app:pw@db:5432/app?sslmode=require',
      schema: 'tenant$$b',
    });
    expect(parsePostgresUrl('postgresql://db/app')).toMatchObject({ kind: 'server', schema: undefined });
    expect(parsePostgresUrl('pglite:./.sessions')).toEqual({ kind: 'embedded', dataDir: './.sessions', schema: undefined });
    expect(parsePostgresUrl('pglite:///var/data?schema=s')).toEqual({ kind: 'embedded', dataDir: '/var/data', schema: 's' });
    expect(parsePostgresUrl('pglite:')).toMatchObject({ kind: 'embedded', dataDir: null });
    expect(parsePostgresUrl('pglite:memory')).toMatchObject({ kind: 'embedded', dataDir: null });
  });

  it('refuses malformed URLs with INVALID_ARGUMENT and hides the password', async () => {
    for (const url of ['postgres://app:s3cret@', 'redis://localhost', 'no-scheme']) {
      const error = await PostgresSessionStore.fromUrl(url).catch((e: unknown) => e);
      expect(error, url).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((error as Error).message).not.toContain('s3cret');
    }
  });

  it('opens an in-memory PGlite through openStore, owned and closed by the store', async () => {
    const store = await openStore<PostgresSessionStore>('pglite:?schema=viaurl');
    try {
      expect(store).toBeInstanceOf(PostgresSessionStore);
      expect(store.schema).toBe('viaurl');
      await store.setup();
      await store.append('u', 's', { n: 1 });
      expect((await store.getSession('u', 's'))?.lastSeq).toBe(1);
    } finally {
      await store.close();
    }
  });

  describe.skipIf(!postgresUrl)('on a server', () => {
    const schema = freshSchema('url');
    afterAll(async () => {
      const sql = newClient();
      await dropSchema(sql, schema);
      await sql.end({ timeout: 5 });
    });

    it('opens postgres:// with ?schema= through openStore', async () => {
      const url = new URL(postgresUrl!);
      url.searchParams.set('schema', schema);
      const store = await openStore<PostgresSessionStore>(url.toString(), { ttlMs: 60_000 });
      try {
        expect(store.schema).toBe(schema);
        await store.setup();
        expect(await store.append('u', 's', { n: 1 })).toMatchObject({ firstSeq: 1 });
        expect((await store.getSession('u', 's'))?.expiresAt).not.toBeNull();
      } finally {
        await store.close();
      }
    });
  });
});
