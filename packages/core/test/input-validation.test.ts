import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_MESSAGE_BYTES, InMemorySessionStore, type JsonObject } from '../src/index.js';
import { expectCode } from './helpers.js';

/** Casts test input the type system would (rightly) refuse. */
const bad = (value: unknown) => value as JsonObject;

class Point {
  constructor(
    public x = 1,
    public y = 2,
  ) {}
}

function nested(depth: number): JsonObject {
  let value: JsonObject = { leaf: true };
  for (let i = 0; i < depth; i++) value = { child: value };
  return value;
}

describe('messages: what JSON cannot hold is INVALID_ARGUMENT and writes nothing', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic['self'] = cyclic;
  const cases: [string, unknown][] = [
    ['undefined as the message', undefined],
    ['null as the message', null],
    ['an array as a message of a batch', [[1, 2]]],
    ['a string as the message', 'hello'],
    ['undefined as an array element', { list: [1, undefined, 3] }],
    ['a function', { fn: () => 1 }],
    ['a symbol value', { s: Symbol('x') }],
    ['a symbol key', { [Symbol('k')]: 1 }],
    ['a BigInt', { n: 10n }],
    ['a cycle', cyclic],
    ['NaN', { n: Number.NaN }],
    ['Infinity', { n: Number.POSITIVE_INFINITY }],
    ['-Infinity', { n: Number.NEGATIVE_INFINITY }],
    ['a Date', { at: new Date() }],
    ['a Map', { m: new Map() }],
    ['a class instance', { p: new Point() }],
    ['a class instance as the message', new Point()],
    ['nesting deeper than 1000 levels', nested(1200)],
  ];

  it.each(cases)('rejects %s', async (_name, message) => {
    const store = new InMemorySessionStore();
    await expectCode(store.append('u', 's', bad(message)), 'INVALID_ARGUMENT');
    expect(await store.getSession('u', 's')).toBeNull();
  });

  it('rejects a batch with one bad message without writing the good ones', async () => {
    const store = new InMemorySessionStore();
    await store.append('u', 's', { first: 1 });
    await expectCode(store.append('u', 's', [{ ok: 1 }, bad({ bad: 1n }), { ok: 2 }]), 'INVALID_ARGUMENT');
    const session = await store.getSession('u', 's');
    expect(session?.messages.map((m) => m.message)).toEqual([{ first: 1 }]);
    expect(session?.lastSeq).toBe(1);
  });

  it('rejects an empty batch', async () => {
    const store = new InMemorySessionStore();
    await expectCode(store.append('u', 's', []), 'INVALID_ARGUMENT');
    expect(await store.getSession('u', 's')).toBeNull();
  });

  it('drops properties whose value is undefined, as JSON does', async () => {
    const store = new InMemorySessionStore();
    await store.append('u', 's', bad({ type: 'message', providerData: undefined, content: 'hi' }));
    const [stored] = await store.getMessages('u', 's');
    expect(stored?.message).toEqual({ type: 'message', content: 'hi' });
    expect(Object.keys(stored?.message ?? {})).not.toContain('providerData');
  });

  it('round-trips a __proto__ key as plain data, in messages and metadata', async () => {
    const store = new InMemorySessionStore();
    const message = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as JsonObject;
    await store.append('u', 's', message);
    const [stored] = await store.getMessages('u', 's');
    expect(Object.getOwnPropertyNames(stored?.message)).toContain('__proto__');
    expect(JSON.stringify(stored?.message)).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const info = await store.createSession('u', { sessionId: 'm', metadata: JSON.parse('{"__proto__":{"x":1}}') as JsonObject });
    expect(JSON.stringify(info.metadata)).toBe('{"__proto__":{"x":1}}');
  });

  it('keeps deep nesting within the limit, unicode and large integers exactly', async () => {
    const store = new InMemorySessionStore();
    const message = { deep: nested(200), text: 'héllo 👋 \u2028 "quoted" \\ \n', big: 2 ** 53 - 1, neg: -0.5, list: [null, true, [1]] };
    await store.append('u', 's', message);
    const [stored] = await store.getMessages('u', 's');
    expect(stored?.message).toEqual(JSON.parse(JSON.stringify(message)));
  });

  it('accepts a message of exactly maxMessageBytes and refuses one byte more with TOO_LARGE', async () => {
    const store = new InMemorySessionStore();
    const overhead = JSON.stringify({ a: '' }).length;
    const exact = { a: 'x'.repeat(DEFAULT_MAX_MESSAGE_BYTES - overhead) };
    expect(Buffer.byteLength(JSON.stringify(exact))).toBe(256 * 1024);
    await expect(store.append('u', 's', exact)).resolves.toMatchObject({ firstSeq: 1 });
    await expectCode(store.append('u', 's', { a: exact.a + 'x' }), 'TOO_LARGE');
    expect((await store.getSession('u', 's'))?.lastSeq).toBe(1);
  });

  it('counts UTF-8 bytes, not characters, against maxMessageBytes', async () => {
    const store = new InMemorySessionStore({ maxMessageBytes: 100 });
    const overhead = JSON.stringify({ a: '' }).length;
    await store.append('u', 's', { a: 'é'.repeat((100 - overhead) / 2) });
    await expectCode(store.append('u', 's', { a: 'é'.repeat((100 - overhead) / 2 + 1) }), 'TOO_LARGE');
  });
});

describe('ids', () => {
  const store = new InMemorySessionStore();

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['a NUL', 'a\u0000b'],
    ['a newline', 'a\nb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone low surrogate', '\udc00'],
    ['513 code points', 'x'.repeat(513)],
    ['513 emoji', '😀'.repeat(513)],
  ])('rejects a user or session id with %s', async (_name, id) => {
    await expectCode(store.append(id, 's', { a: 1 }), 'INVALID_ARGUMENT');
    await expectCode(store.append('u', id, { a: 1 }), 'INVALID_ARGUMENT');
    await expectCode(store.getSession('u', id), 'INVALID_ARGUMENT');
  });

  it.each([
    ['512 code points', 'x'.repeat(512)],
    ['512 emoji (1024 UTF-16 units)', '😀'.repeat(512)],
    ['glob and key syntax', 'a:*?[x]{y}/..\\'],
    ['SQL', "'; DROP TABLE sessions; --"],
    ['mixed scripts', 'Ünïcødé ✓ 日本語 مرحبا'],
  ])('accepts and stores safely an id with %s', async (_name, id) => {
    await store.append(id, id, { a: 1 });
    expect((await store.getSession(id, id))?.id).toBe(id);
    expect((await store.listSessions(id)).items.map((s) => s.id)).toEqual([id]);
  });

  it('trims surrounding whitespace: " a " and "a" are the same session', async () => {
    await store.append(' trim-user ', '  trimmed\t', { a: 1 });
    const session = await store.getSession('trim-user', 'trimmed');
    expect(session).toMatchObject({ userId: 'trim-user', id: 'trimmed', lastSeq: 1 });
  });

  it('generates a UUID v4 for an absent or blank new session id', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect((await store.createSession('g')).id).toMatch(uuid);
    expect((await store.createSession('g', { sessionId: '  ' })).id).toMatch(uuid);
  });
});

describe('other arguments', () => {
  const store = new InMemorySessionStore();

  it.each([-1, 1.5, Number.NaN, '3'])('rejects limit %s', async (limit) => {
    await expectCode(store.getMessages('u', 's', { limit: limit as number }), 'INVALID_ARGUMENT');
    await expectCode(store.getSession('u', 's', { limit: limit as number }), 'INVALID_ARGUMENT');
  });

  it('rejects bad seq bounds, from, ttlMs, idempotency keys, create and list limits', async () => {
    await expectCode(store.getMessages('u', 's', { afterSeq: -1 }), 'INVALID_ARGUMENT');
    await expectCode(store.getMessages('u', 's', { beforeSeq: 0.5 }), 'INVALID_ARGUMENT');
    await expectCode(store.getMessages('u', 's', { from: 'middle' as 'start' }), 'INVALID_ARGUMENT');
    await expectCode(store.createSession('u', { ttlMs: 0 }), 'INVALID_ARGUMENT');
    await expectCode(store.createSession('u', { ttlMs: -5 }), 'INVALID_ARGUMENT');
    await expectCode(store.append('u', 's', { a: 1 }, { idempotencyKey: '' }), 'INVALID_ARGUMENT');
    await expectCode(store.append('u', 's', { a: 1 }, { idempotencyKey: 'a\nb' }), 'INVALID_ARGUMENT');
    await expectCode(store.append('u', 's', { a: 1 }, { create: 'no' as unknown as boolean }), 'INVALID_ARGUMENT');
    await expectCode(store.append('u', 's', { a: 1 }, { expectedLastSeq: -1 }), 'INVALID_ARGUMENT');
    await expectCode(store.listSessions('u', { limit: 1001 }), 'INVALID_ARGUMENT');
    await expectCode(store.listSessions('u', { cursor: 'not-a-cursor' }), 'INVALID_ARGUMENT');
    await expectCode(store.purgeExpired({ batchSize: 0 }), 'INVALID_ARGUMENT');
    expect(await store.getSession('u', 's')).toBeNull();
  });

  it('rejects metadata that is not a JSON object or is over 64 KiB', async () => {
    await expectCode(store.createSession('u', { metadata: bad([1]) }), 'INVALID_ARGUMENT');
    await expectCode(store.createSession('u', { metadata: bad({ at: new Date() }) }), 'INVALID_ARGUMENT');
    await expectCode(store.createSession('u', { metadata: { big: 'x'.repeat(64 * 1024) } }), 'TOO_LARGE');
    expect((await store.listSessions('u')).items).toEqual([]);
  });

  it('error messages carry the backend prefix and no message content', async () => {
    const error = await expectCode(store.append('u', 's', bad({ secret: 'hunter2', n: 1n })), 'INVALID_ARGUMENT');
    expect(error.message).toMatch(/^\[sessions\] \[memory\] /);
    expect(error.message).not.toContain('hunter2');
  });
});
