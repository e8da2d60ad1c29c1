import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { JsonObject } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { jsonForm, present } from '../helpers.js';

/** Messages that stress encodings: unicode, escapes, numbers, nesting, odd keys, tool calls. */
export function tortureMessages(): JsonObject[] {
  let deep: JsonObject = { leaf: true };
  for (let i = 0; i < 60; i++) deep = { level: i, child: deep, list: [i, [i]] };
  return [
    { role: 'user', content: 'Grüße, 你好, مرحبا, שלום, नमस्ते, 🙂👩‍👩‍👧‍👦🇫🇷, e\u0301, \u2028\u2029, \ufeff' },
    { role: 'user', content: 'quotes " \' ` backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007 del \u007f' },
    { role: 'user', content: '$1 %s {{x}} ${y} <script>alert(1)</script> \'; DROP TABLE sessions; -- * ? [a] {b}' },
    {
      type: 'function_call',
      name: 'get_weather',
      callId: 'call_123',
      arguments: JSON.stringify({ city: 'Zürich', units: 'metric', nested: { a: [1, 2, { b: null }] } }),
    },
    { type: 'function_call_result', callId: 'call_123', output: { type: 'text', text: '{"temp": 21.5}' } },
    {
      numbers: [0, -0, 1, -1, 0.1, 1e-7, 1.7976931348623157e308, 5e-324, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, 123456789.123],
    },
    { empty: {}, emptyList: [], emptyString: '', nulls: [null, { n: null }], bools: [true, false] },
    // Parsed, because a "__proto__" key in an object literal would set the prototype instead.
    JSON.parse('{"":"empty key"," ":"space key","a.b":1,"a:b":2,"$ref":3,"__proto__":"own","constructor":"c","🙂":4,"ключ":5}') as JsonObject,
    deep,
    { big: 'x'.repeat(100_000), wide: 'é'.repeat(10_000) },
  ];
}

/** Rule 8: a message reads back deep-equal to its JSON form; metadata too. */
export function roundTripBehaviour(ctx: SuiteContext): void {
  describe('round-trip exactness', () => {
    it('reads back every torture message equal to its JSON form, in one batch and one by one', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const messages = tortureMessages();
      await ctx.store.append(userId, sessionId, messages);
      for (const message of messages) await ctx.store.append(userId, `${sessionId}-single`, message);
      const batch = (await ctx.store.getMessages(userId, sessionId)).map((m) => m.message);
      const singles = (await ctx.store.getMessages(userId, `${sessionId}-single`)).map((m) => m.message);
      expect(batch).toEqual(jsonForm(messages));
      expect(singles).toEqual(jsonForm(messages));
      // Own "__proto__" keys stay data, never a prototype.
      const odd = present(batch[7]);
      expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
      expect(Object.keys(odd)).toContain('__proto__');
      expect(odd['__proto__']).toBe('own');
    });

    it('keeps metadata exact: unicode, nesting and odd keys', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const metadata = jsonForm({ title: 'Ünïcødé 🙂 \u2028', tags: ['a', 'b'], deep: { n: 2 ** 53, f: 0.1 }, 'a.b': { '': null } });
      await ctx.store.createSession(userId, { sessionId, metadata });
      expect((await ctx.store.getSession(userId, sessionId))?.metadata).toEqual(metadata);
      expect((await ctx.store.listSessions(userId)).items[0]?.metadata).toEqual(metadata);
    });

    it('returns copies: changing a returned or appended object does not change what is stored', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const message: JsonObject = { role: 'user', content: 'original', parts: [{ t: 1 }] };
      await ctx.store.append(userId, sessionId, message);
      message['content'] = 'changed after append';
      const [first] = await ctx.store.getMessages(userId, sessionId);
      (present(first).message as JsonObject)['content'] = 'changed after read';
      const [again] = await ctx.store.getMessages(userId, sessionId);
      expect(again?.message).toEqual({ role: 'user', content: 'original', parts: [{ t: 1 }] });
    });

    it('round-trips arbitrary JSON objects (property-based)', async () => {
      const { userId } = ctx.freshIds();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 }), { minLength: 1, maxLength: 4 }), async (batch) => {
          const sessionId = `prop-${run++}`;
          await ctx.store.append(userId, sessionId, batch as JsonObject[]);
          const stored = await ctx.store.getMessages(userId, sessionId);
          expect(stored.map((m) => m.message)).toEqual(jsonForm(batch));
        }),
        { numRuns: 25 },
      );
    });
  });
}
