import { describe, expect, it } from 'vitest';
import type { JsonObject, SessionStore } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, collect, expectCode } from '../helpers.js';

/** Every call of the store, with valid arguments, for the CLOSED checks. */
function everyCall(store: SessionStore<JsonObject>, userId: string, sessionId: string): Array<[string, () => Promise<unknown>]> {
  const now = Date.now();
  return [
    ['createSession', () => store.createSession(userId, { sessionId: 'new' })],
    ['getSession', () => store.getSession(userId, sessionId)],
    ['getOrCreateSession', () => store.getOrCreateSession(userId, sessionId)],
    ['listSessions', () => store.listSessions(userId)],
    ['updateSession', () => store.updateSession(userId, sessionId, {})],
    ['deleteSession', () => store.deleteSession(userId, sessionId)],
    ['deleteUser', () => store.deleteUser(userId)],
    ['append', () => store.append(userId, sessionId, chatMessages(1))],
    ['getMessages', () => store.getMessages(userId, sessionId)],
    ['popMessage', () => store.popMessage(userId, sessionId)],
    ['clearSession', () => store.clearSession(userId, sessionId)],
    ['forkSession', () => store.forkSession(userId, sessionId)],
    ['listUsers', () => collect(store.listUsers())],
    [
      'restoreSession',
      () =>
        store.restoreSession(userId, { id: 'r', metadata: {}, createdAt: new Date(now), updatedAt: new Date(now), expiresAt: null, lastSeq: 0 }),
    ],
    ['restoreMessages', () => store.restoreMessages(userId, sessionId, [])],
    ['purgeExpired', () => store.purgeExpired()],
    ['replaceTail', () => store.replaceTail(userId, sessionId, { afterSeq: 0, messages: chatMessages(1) })],
    ['trimSession', () => store.trimSession(userId, sessionId, { beforeSeq: 2 })],
    ['rewriteMessages', () => store.rewriteMessages(userId, sessionId, [{ seq: 1, message: { v: 1 } }])],
    ['readHistory', () => collect(store.readHistory(userId, sessionId))],
    ['session().messages', () => store.session(userId, sessionId).messages()],
    ['setup', () => store.setup()],
  ];
}

/** health() and close(): health never throws; close is idempotent; afterwards every call is CLOSED. */
export function closeHealthBehaviour(ctx: SuiteContext): void {
  describe('health and close', () => {
    it('reports a healthy store with its latency', async () => {
      const health = await ctx.store.health();
      expect(health.ok).toBe(true);
      expect(Number.isFinite(health.latencyMs) && health.latencyMs >= 0).toBe(true);
      if (health.detail !== undefined) expect(typeof health.detail).toBe('string');
      expect(typeof ctx.store.backend).toBe('string');
      expect(ctx.store.backend.length).toBeGreaterThan(0);
    });

    it('rejects every call with CLOSED after close(), which is idempotent; health() still answers', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const store = await ctx.openStore();
      await store.append(userId, sessionId, chatMessages(2));
      await store.close();
      await expect(store.close()).resolves.toBeUndefined();
      for (const [name, call] of everyCall(store, userId, sessionId)) {
        const error = await expectCode(call(), 'CLOSED');
        expect(error.retryable, name).toBe(false);
      }
      // Closed is checked first, before the input.
      await expectCode(store.append(userId, sessionId, { bad: new Date() } as unknown as JsonObject), 'CLOSED');
      await expectCode(store.getMessages(userId, sessionId, { limit: -1 }), 'CLOSED');
      const health = await store.health().then(
        (value) => value,
        (error: unknown) => expect.fail(`health() must never throw, it threw ${String(error)}`),
      );
      expect(health.ok).toBe(false);
      // Closing one store leaves the data and the other stores over it alone.
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 2 });
    });

    it('closes through Symbol.asyncDispose', async () => {
      const store = await ctx.openStore();
      await store[Symbol.asyncDispose]();
      await expectCode(store.getSession(ctx.freshId('u'), 's'), 'CLOSED');
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
}
