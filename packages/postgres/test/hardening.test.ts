import { encodeListCursor } from '@sessions/core';
import { PostgresSessionStore } from '@sessions/postgres';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresInspector } from '../src/testing/index.js';
import { freshSchema } from './support/ids.js';
import { dropSchema, newClient, postgresUrl } from './support/servers.js';

// 512 CJK characters: the longest id the contract allows, 1,536 UTF-8 bytes; two of them in a
// primary key exceed PostgreSQL's btree entry limit (2,704 bytes) unless stored as keys.
const longId = (char: string) => char.repeat(512);

describe.skipIf(!postgresUrl)('every id the contract allows, and client mistakes as INVALID_ARGUMENT', () => {
  const schema = freshSchema('hardening');
  let sql: Sql;
  let store: PostgresSessionStore;
  beforeAll(async () => {
    sql = newClient();
    store = new PostgresSessionStore({ client: sql, schema });
    await store.setup();
  });
  afterAll(async () => {
    await dropSchema(sql, schema);
    await sql.end({ timeout: 5 });
  });

  it('stores, lists, forks and deletes sessions whose user id, session id and idempotency key are 512 CJK characters', async () => {
    const user = longId('用');
    const session = longId('会');
    const key = longId('鍵');
    expect(await store.append(user, session, [{ n: 1 }, { n: 2 }], { idempotencyKey: key })).toEqual({ firstSeq: 1, lastSeq: 2, duplicate: false });
    expect(await store.append(user, session, { n: 'again' }, { idempotencyKey: key })).toMatchObject({ duplicate: true });
    const read = await store.getSession(user, session);
    expect(read).toMatchObject({ userId: user, id: session, lastSeq: 2 });
    expect(read?.messages.map((m) => m.message)).toEqual([{ n: 1 }, { n: 2 }]);

    // Two long ids sharing their first 460 bytes are two sessions.
    const sibling = `${'会'.repeat(511)}話`;
    await store.createSession(user, { sessionId: sibling });
    const forked = await store.forkSession(user, session, { newSessionId: `${'会'.repeat(511)}分` });
    expect(forked).toMatchObject({ userId: user, id: `${'会'.repeat(511)}分`, lastSeq: 2 });
    const listed = (await store.listSessions(user, { limit: 1 })).nextCursor;
    const all = [];
    for (let cursor: string | null | undefined = undefined; cursor !== null; ) {
      const page = await store.listSessions(user, { limit: 1, ...(cursor ? { cursor } : {}) });
      all.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
    }
    expect(listed).not.toBeNull();
    expect(all.sort()).toEqual([session, sibling, `${'会'.repeat(511)}分`].sort());
    const users = [];
    for await (const u of store.listUsers()) users.push(u);
    expect(users).toContain(user);
    expect(await postgresInspector((text, params) => sql.unsafe(text, params as never[]), schema).sessionRecords(user, session)).toHaveLength(4);
    expect(await store.deleteUser(user)).toBe(3);
  });

  it('refuses a forged list cursor with a negative or absurd updatedAt as INVALID_ARGUMENT, not retryable', async () => {
    for (const updatedAt of [-1, -(2 ** 53 - 1), 2 ** 53 - 1]) {
      const cursor = encodeListCursor({ updatedAt, id: 'x' });
      const error = await store.listSessions('u', { cursor }).catch((e: unknown) => e);
      expect(error, String(updatedAt)).toMatchObject({ code: 'INVALID_ARGUMENT', retryable: false });
    }
  });
});
