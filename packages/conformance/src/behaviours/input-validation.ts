import { describe, expect, it } from 'vitest';
import type { JsonObject } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectUnchanged } from '../helpers.js';

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

/** Values JSON cannot hold (or would silently change), each with a name for the test output. */
export function nonJsonMessages(): Array<[string, unknown]> {
  const cycle: Record<string, unknown> = { role: 'user' };
  cycle['self'] = cycle;
  return [
    ['undefined as the message', undefined],
    ['null as the message', null],
    ['a string as the message', 'hello'],
    ['a number as the message', 42],
    ['an array as the message', [[{ role: 'user' }]]],
    ['undefined as an array element', { parts: ['a', undefined] }],
    ['a function', { role: 'user', fn: () => 1 }],
    ['a symbol value', { role: 'user', s: Symbol('s') }],
    ['a symbol key', { role: 'user', [Symbol('k')]: 1 }],
    ['a BigInt', { role: 'user', n: 10n }],
    ['a cycle', cycle],
    ['NaN', { role: 'user', n: Number.NaN }],
    ['Infinity', { role: 'user', n: Number.POSITIVE_INFINITY }],
    ['a Date', { role: 'user', at: new Date() }],
    ['a Map', { role: 'user', m: new Map([['a', 1]]) }],
    ['a class instance', { role: 'user', p: new Point(1, 2) }],
    ['a class instance as the message', new Point(1, 2)],
    ['a nested Set', { role: 'user', deep: { s: new Set([1]) } }],
  ];
}

/** Ids the contract rejects (rule 7): empty, blank, too long, control characters, not strings. */
export function invalidIds(): Array<[string, unknown]> {
  return [
    ['empty', ''],
    ['blank', '   '],
    ['513 characters', 'a'.repeat(513)],
    ['513 emoji', '🙂'.repeat(513)],
    ['a NUL', 'a\u0000b'],
    ['a newline inside', 'a\nb'],
    ['a C1 control', 'a\u0085b'],
    ['DEL', 'a\u007fb'],
    ['a lone surrogate', 'a\ud800b'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
  ];
}

/** Rule 7: bad input gets INVALID_ARGUMENT and writes nothing; odd but legal ids work. */
export function inputValidationBehaviour(ctx: SuiteContext): void {
  describe('input validation', () => {
    it.each(nonJsonMessages())('rejects %s with INVALID_ARGUMENT and writes nothing', async (_name, bad) => {
      const { userId, sessionId } = ctx.freshIds();
      await expectCode(ctx.store.append(userId, sessionId, bad as JsonObject), 'INVALID_ARGUMENT');
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
      await ctx.store.append(userId, sessionId, chatMessages(1));
      const before = await ctx.store.getSession(userId, sessionId);
      await expectCode(ctx.store.append(userId, sessionId, bad as JsonObject), 'INVALID_ARGUMENT');
      await expectCode(ctx.store.append(userId, sessionId, [...chatMessages(1), bad as JsonObject]), 'INVALID_ARGUMENT');
      await expectUnchanged(ctx.store, userId, sessionId, before);
    });

    it.each(invalidIds())('rejects a user or session id that is %s, everywhere', async (_name, bad) => {
      const { userId, sessionId } = ctx.freshIds();
      const id = bad as string;
      await ctx.store.append(userId, sessionId, chatMessages(1));
      const calls: Array<() => Promise<unknown>> = [
        () => ctx.store.createSession(id, { sessionId }),
        () => ctx.store.getSession(id, sessionId),
        () => ctx.store.getSession(userId, id),
        () => ctx.store.getOrCreateSession(userId, id),
        () => ctx.store.listSessions(id),
        () => ctx.store.updateSession(userId, id, {}),
        () => ctx.store.deleteSession(id, sessionId),
        () => ctx.store.deleteUser(id),
        () => ctx.store.append(id, sessionId, chatMessages(1)),
        () => ctx.store.append(userId, id, chatMessages(1)),
        () => ctx.store.getMessages(userId, id),
        () => ctx.store.popMessage(userId, id),
        () => ctx.store.clearSession(userId, id),
        () => ctx.store.forkSession(userId, id),
        () => ctx.store.restoreMessages(userId, id, []),
      ];
      // Blank and absent session ids mean "generate one" for createSession and forkSession targets.
      if (typeof bad === 'string' && bad.trim() !== '') {
        calls.push(() => ctx.store.createSession(userId, { sessionId: id }));
        calls.push(() => ctx.store.forkSession(userId, sessionId, { newSessionId: id }));
      }
      for (const call of calls) await expectCode(call(), 'INVALID_ARGUMENT');
      expect(await ctx.store.getSession(userId, sessionId, { limit: 0 })).toMatchObject({ messageCount: 1, lastSeq: 1 });
      expect((await ctx.store.listSessions(userId)).items).toHaveLength(1);
    });

    it('accepts ids of exactly 512 characters (code points) after trimming', async () => {
      const userId = `${ctx.freshId('u')}-`.padEnd(512, 'u');
      const sessionId = '🙂'.repeat(512);
      await ctx.store.append(` ${userId} `, `\t${sessionId}  `, chatMessages(1));
      const session = await ctx.store.getSession(userId, sessionId);
      expect(session).toMatchObject({ userId, id: sessionId, messageCount: 1 });
      expect((await ctx.store.listSessions(userId)).items.map((i) => i.id)).toEqual([sessionId]);
    });

    it('rejects metadata that is not a plain JSON object with INVALID_ARGUMENT', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId, metadata: { ok: true } });
      const before = await ctx.store.getSession(userId, sessionId);
      const bad: unknown[] = [[1, 2], 'text', 7, { at: new Date() }, { n: Number.NaN }, { f: () => 1 }, new Point(1, 2)];
      for (const metadata of bad) {
        await expectCode(ctx.store.createSession(userId, { sessionId: 'other', metadata: metadata as JsonObject }), 'INVALID_ARGUMENT');
        await expectCode(ctx.store.updateSession(userId, sessionId, { metadata: metadata as JsonObject }), 'INVALID_ARGUMENT');
        await expectCode(ctx.store.forkSession(userId, sessionId, { newSessionId: 'fork', metadata: metadata as JsonObject }), 'INVALID_ARGUMENT');
      }
      await expectUnchanged(ctx.store, userId, sessionId, before);
      expect(await ctx.store.getSession(userId, 'other')).toBeNull();
      expect(await ctx.store.getSession(userId, 'fork')).toBeNull();
    });

    it('checks the input before anything else: a bad message is INVALID_ARGUMENT even when the append would conflict', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.append(userId, sessionId, chatMessages(1), { idempotencyKey: 'k' });
      // Deliberately the wrong type: the store must refuse it at run time, whatever TypeScript allows.
      const bad = { when: new Date() } as unknown as JsonObject;
      await expectCode(ctx.store.append(userId, sessionId, bad, { expectedLastSeq: 9 }), 'INVALID_ARGUMENT');
      await expectCode(ctx.store.append(userId, sessionId, bad, { idempotencyKey: 'k' }), 'INVALID_ARGUMENT');
      await expectCode(ctx.store.append(ctx.freshId('u'), sessionId, bad, { create: false }), 'INVALID_ARGUMENT');
    });
  });
}
