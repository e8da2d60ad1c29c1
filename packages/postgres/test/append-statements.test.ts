import { PostgresSessionStore } from '@sessions/postgres';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from './support/ids.js';
import { dropSchema, postgresUrl } from './support/servers.js';

// Round trips per append, counted on the client: the first append of a new session is one
// statement, like every later one; a batch and a keyed append too.
describe.skipIf(!postgresUrl)('append round trips', () => {
  const schema = freshSchema('stmts');
  const statements: string[] = [];
  const sql = postgresUrl ? postgres(postgresUrl, { max: 2, onnotice: () => undefined, debug: (_connection, query) => statements.push(query) }) : undefined;
  const store = sql ? new PostgresSessionStore({ client: sql, schema }) : undefined;
  beforeAll(async () => {
    await store!.setup();
  });
  afterAll(async () => {
    await dropSchema(sql!, schema);
    await store!.close();
    await sql!.end({ timeout: 5 });
  });
  const counted = async (run: () => Promise<unknown>) => {
    statements.length = 0;
    await run();
    return statements.length;
  };

  it('is one statement for the first append of a new session, and for each later one', async () => {
    expect(await counted(() => store!.append('u', 'new', { n: 1 }))).toBe(1);
    expect(await counted(() => store!.append('u', 'new', { n: 2 }))).toBe(1);
    expect(await counted(() => store!.append('u', 'new', [{ n: 3 }, { n: 4 }]))).toBe(1);
    expect(await counted(() => store!.append('u', 'new', { n: 5 }, { idempotencyKey: 'k' }))).toBe(1);
    expect(await counted(() => store!.append('u', 'batch-new', [{ n: 1 }, { n: 2 }], { idempotencyKey: 'k' }))).toBe(1);
    expect((await store!.getMessages('u', 'new')).map((m) => [m.seq, m.message['n']])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
  });

  it('an append to a session deleted by another client, which the driver still thinks exists, creates it again at seq 1', async () => {
    await store!.append('u', 'gone', { n: 1 });
    const other = new PostgresSessionStore({ client: sql!, schema });
    await other.deleteSession('u', 'gone');
    expect(await store!.append('u', 'gone', { n: 2 })).toMatchObject({ firstSeq: 1, lastSeq: 1 });
    await expect(store!.append('u', 'gone-for-good', { n: 1 }, { create: false })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
