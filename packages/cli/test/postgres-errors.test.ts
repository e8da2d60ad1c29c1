import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { requireService, startPostgres, type PostgresHandle } from '@sessions/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './support/run-bin.js';

// A server of its own: its pg_hba.conf is changed to ask one role for a password.
const available = Boolean(requireService('postgres'));

describe.skipIf(!available)('PostgreSQL errors in words a user acts on', () => {
  let server: PostgresHandle;
  let base: URL;
  beforeAll(async () => {
    server = await startPostgres();
    base = new URL(server.url);
    const hba = join(server.dir, 'data', 'pg_hba.conf');
    await writeFile(hba, `host all cli_pw 127.0.0.1/32 scram-sha-256\n${await readFile(hba, 'utf8')}`);
    // Role and reload through psql-free SQL: the postgres driver the backend ships with.
    const { default: postgres } = await import('postgres');
    const sql = postgres(server.url, { max: 1, onnotice: () => undefined });
    try {
      await sql.unsafe(`CREATE ROLE cli_pw LOGIN PASSWORD 'Right-Pa55word'`);
      await sql.unsafe('SELECT pg_reload_conf()');
    } finally {
      await sql.end();
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  const url = (auth: string, database: string) => `postgres://${auth}@${base.host}/${database}`;

  it('a wrong password says so, names the user, and hides the password', async () => {
    const r = await runBin(['ls', 'alice', '--store', url('cli_pw:Wr0ng-Pa55', base.pathname.slice(1))], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/PostgreSQL refused the password for user "cli_pw": check the user name and password in the store URL/);
    expect(r.stderr).not.toContain('Wr0ng-Pa55');
  });

  it('--verbose shows the cause chain down to the server error code', async () => {
    const r = await runBin(['ls', 'alice', '--verbose', '--store', url('cli_pw:Wr0ng-Pa55', base.pathname.slice(1))], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cause chain:\n {2}SessionStoreError UNAVAILABLE: .*\n {2}\w+ 28P01: password authentication failed for user "cli_pw"/);
    expect(r.stderr).not.toContain('Wr0ng-Pa55');
  });

  it('a missing database is named, with how to create it', async () => {
    const r = await runBin(['ls', 'alice', '--store', url('postgres', 'no_such_db')], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the database "no_such_db" does not exist on the server: create it \(createdb no_such_db\)/);
  });

  it('a store that is not set up says to run sessions migrate', async () => {
    const store = `${url('postgres', base.pathname.slice(1))}?schema=never_set_up`;
    const r = await runBin(['ls', 'alice', '--store', store], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sessions migrate/);
    const migrated = await runBin(['migrate', '--store', store], { timeoutMs: 60_000 });
    expect(migrated.code).toBe(0);
    expect((await runBin(['ls', 'alice', '--store', store], { timeoutMs: 60_000 })).code).toBe(0);
  });
});
