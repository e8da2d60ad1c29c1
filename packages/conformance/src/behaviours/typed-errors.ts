import { describe, expect, it } from 'vitest';
import { isSessionStoreError, type JsonObject, type SessionStoreErrorCode } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode } from '../helpers.js';
import { messageOfBytes } from './limits.js';

const SECRET = 'sk-live-TOPSECRET-4111111111111111';

/** Rule 9: every failure is a SessionStoreError with a code, a prefixed message, retryable and fault. */
export function typedErrorsBehaviour(ctx: SuiteContext): void {
  describe('typed errors', () => {
    it('uses one error type with code, backend, retryable and fault, and a [sessions] [<backend>] prefix', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(1));
      const cases: Array<[SessionStoreErrorCode, () => Promise<unknown>]> = [
        ['NOT_FOUND', () => ctx.store.updateSession(userId, 'missing', {})],
        ['ALREADY_EXISTS', () => ctx.store.createSession(userId, { sessionId })],
        ['CONFLICT', () => ctx.store.append(userId, sessionId, chatMessages(1), { expectedLastSeq: 0 })],
        ['INVALID_ARGUMENT', () => ctx.store.getMessages(userId, sessionId, { limit: -1 })],
        ['TOO_LARGE', () => ctx.store.append(userId, sessionId, messageOfBytes(256 * 1024 + 1))],
      ];
      for (const [code, call] of cases) {
        const error = await expectCode(call(), code);
        // Recognised by its brand, not instanceof: a backend may carry another copy of core.
        expect(isSessionStoreError(error, code)).toBe(true);
        expect(error).toBeInstanceOf(Error);
        expect(error.name).toBe('SessionStoreError');
        expect(error.backend).toBe(ctx.store.backend);
        expect(error.message.startsWith(`[sessions] [${ctx.store.backend}] `), error.message).toBe(true);
        expect(error.retryable).toBe(code === 'CONFLICT');
        expect(error.fault).toBe('client');
        expect(error.message.length).toBeGreaterThan(`[sessions] [${ctx.store.backend}] `.length + 10);
      }
    });

    it('never puts message content or metadata values in an error message', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId, metadata: { half: 'y'.repeat(40_000) } });
      const withSecret = (extra: JsonObject) => ({ role: 'user', content: SECRET, ...extra });
      const calls: Array<() => Promise<unknown>> = [
        // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
        () => ctx.store.append(userId, sessionId, withSecret({ when: new Date() as unknown as JsonObject })),
        () => ctx.store.append(userId, sessionId, withSecret({ pad: 'x'.repeat(256 * 1024) })),
        () => ctx.store.append(userId, sessionId, [withSecret({}), withSecret({ n: Number.NaN })]),
        () => ctx.store.append(userId, sessionId, withSecret({}), { expectedLastSeq: 42 }),
        // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
        () => ctx.store.createSession(userId, { sessionId: 'm', metadata: { secret: SECRET, d: new Date() as unknown as JsonObject } }),
        () => ctx.store.updateSession(userId, sessionId, { metadata: { secret: SECRET, pad: 'z'.repeat(40_000) } }),
      ];
      for (const call of calls) {
        const error = await call().then(
          () => expect.fail('expected the call to be rejected'),
          (e: unknown) => e,
        );
        expect(isSessionStoreError(error), String(error)).toBe(true);
        expect(String((error as Error).message)).not.toContain(SECRET);
        expect(String((error as Error).message)).not.toContain('y'.repeat(50));
      }
    });
  });
}
