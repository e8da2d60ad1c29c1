import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, SessionStore, StandardSchemaV1 } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { expectCode, expectUnchanged } from '../helpers.js';

/**
 * A hand-written Standard Schema (so the suite needs no schema library): `role` must be "user"
 * or "assistant", `content` a string; the output keeps only those two keys. Validation is
 * asynchronous, which Standard Schema allows and stores must await.
 */
export const chatMessageSchema: StandardSchemaV1<unknown, JsonObject> = {
  '~standard': {
    version: 1,
    vendor: 'sessions-conformance',
    validate: async (value) => {
      const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
      if (record['role'] !== 'user' && record['role'] !== 'assistant') {
        return { issues: [{ message: 'role must be "user" or "assistant"', path: ['role'] }] };
      }
      if (typeof record['content'] !== 'string') return { issues: [{ message: 'content must be a string', path: ['content'] }] };
      return { value: { role: record['role'], content: record['content'] } };
    },
  },
};

/** The `messageSchema` store option: append validates with it and stores what it returns. */
export function messageSchemaBehaviour(ctx: SuiteContext): void {
  describe('messageSchema (a store typed by a Standard Schema)', () => {
    let typed: SessionStore<JsonObject>;
    beforeAll(async () => {
      typed = await ctx.openStore({ messageSchema: chatMessageSchema });
    });
    afterAll(async () => {
      await ctx.closeStore(typed);
    });

    it('stores what the schema returns', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await typed.append(userId, sessionId, [
        { role: 'user', content: 'hi', extra: 'dropped by the schema' },
        { role: 'assistant', content: 'hello' },
      ]);
      expect((await typed.getMessages(userId, sessionId)).map((m) => m.message)).toEqual([
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ]);
    });

    it('rejects a message the schema refuses with INVALID_ARGUMENT naming the path, and writes nothing', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const error = await expectCode(typed.append(userId, sessionId, { role: 'robot', content: 'x' }), 'INVALID_ARGUMENT');
      expect(error.message).toContain('role');
      expect(await typed.getSession(userId, sessionId)).toBeNull();
      await typed.append(userId, sessionId, { role: 'user', content: 'ok' });
      const before = await typed.getSession(userId, sessionId);
      await expectCode(typed.append(userId, sessionId, [{ role: 'user', content: 'fine' }, { role: 'user', content: 42 }]), 'INVALID_ARGUMENT');
      await expectUnchanged(typed, userId, sessionId, before);
    });

    it('still rejects what JSON cannot hold, before the schema sees it', async () => {
      const { userId, sessionId } = ctx.freshIds();
      // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
      await expectCode(typed.append(userId, sessionId, { role: 'user', content: 'x', at: new Date() } as unknown as JsonObject), 'INVALID_ARGUMENT');
      expect(await typed.getSession(userId, sessionId)).toBeNull();
    });
  });
}
