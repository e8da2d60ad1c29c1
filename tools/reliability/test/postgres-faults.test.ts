import type { SessionStore } from '@sessions/core';
import { startPostgres, type PostgresHandle } from '@sessions/test-services';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFaultScenario } from '../src/fault-scenario.js';
import { prepareTarget } from '../src/raw-records.js';
import { openStore, type OpenOptions, type StoreTarget } from '../src/targets.js';

const MAX_CALL_MS = 15_000;
// The server trusts every connection, so a password in the URL is accepted and ignored: the
// test can check that no error quotes it.
const PASSWORD = 'password-that-must-not-be-logged';
const withPassword = (url: string) => url.replace('postgres://postgres@', `postgres://postgres:${PASSWORD}@`);

describe('PostgreSQL: server killed and restarted under appenders', () => {
  let server: PostgresHandle;
  const stores: SessionStore[] = [];
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await server?.stop();
  });
  const open = async (namespace: string, options: OpenOptions) => {
    await prepareTarget({ backend: 'postgres', address: server.url, namespace });
    const target: StoreTarget = { backend: 'postgres', address: withPassword(server.url), namespace };
    const store = await openStore(target, options);
    stores.push(store);
    return store;
  };

  it('fails calls with UNAVAILABLE in bounded time, recovers without a new store, loses and doubles nothing', async () => {
    const store = await open('faults', { bounded: true });
    const outcome = await runFaultScenario(store, server, { maxCallMs: MAX_CALL_MS, secrets: [PASSWORD] });
    process.stdout.write(`[reliability] postgres kill/restart: ${JSON.stringify({ ...outcome, problems: outcome.problems.length })}\n`);
    expect(outcome.problems).toEqual([]);
    expect(outcome.failedDuringOutage).toBeGreaterThan(0);
    expect(outcome.acknowledgedAfterRestart).toBeGreaterThan(0);
    // postgres.js keeps a statement's parameters off its errors' enumerable properties.
    expect(outcome.errorsQuotingContentInCause).toBe(0);
  });

  it('keeps failing calls with UNAVAILABLE in bounded time while the server stays down (the pool\'s reconnectDelayMs)', async () => {
    const store = await open('down', { bounded: true });
    await store.append('u', 's', { n: 0 });
    await server.kill();
    try {
      // Repeated failures would grow postgres.js's own reconnect backoff to 20 s; the store's pool waits reconnectDelayMs (500 ms).
      const until = Date.now() + 8_000;
      for (let n = 1; Date.now() < until; n++) {
        const started = Date.now();
        await expect(store.append('u', 's', { n })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
        expect(Date.now() - started).toBeLessThan(MAX_CALL_MS);
      }
    } finally {
      await server.restart();
    }
    expect((await store.getMessages('u', 's')).map((m) => m.message)).toEqual([{ n: 0 }]);
  });

  it('a call cancelled by statement_timeout writes nothing, and its retry with the same key writes it once', async () => {
    const store = await open('timeouts', { postgresParams: { statement_timeout: '300' } });
    const admin = postgres(server.url, { max: 1, onnotice: () => undefined });
    try {
      // Another transaction holds the sessions table for 1.5 s: the append waits, and the server cancels it at 300 ms.
      const holder = admin.begin(async (tx) => {
        await tx.unsafe('LOCK TABLE timeouts.sessions IN ACCESS EXCLUSIVE MODE');
        await new Promise((resolve) => setTimeout(resolve, 1500));
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const error = await store.append('u', 's', [{ n: 0 }, { n: 1 }, { n: 2 }], { idempotencyKey: 'k' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'UNAVAILABLE' });
      await holder;
      expect(await store.getSession('u', 's')).toBeNull();
      const retry = await store.append('u', 's', [{ n: 0 }, { n: 1 }, { n: 2 }], { idempotencyKey: 'k' });
      expect(retry).toEqual({ firstSeq: 1, lastSeq: 3, duplicate: false });
      expect((await store.getMessages('u', 's')).map((m) => m.message)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    } finally {
      await admin.end();
    }
  });
});
