import { DEFAULT_MAX_MESSAGE_BYTES } from '@sessions/core';

/** What the contract says must happen to a message. */
export type Verdict = 'stored' | 'INVALID_ARGUMENT' | 'TOO_LARGE';

/** One hostile message: built on demand (some are cyclic or large) and what must happen to it. */
export interface HostileMessage {
  label: string;
  make: () => unknown;
  expected: Verdict;
}

const stored = (label: string, make: () => unknown): HostileMessage => ({ label, make, expected: 'stored' });
const invalid = (label: string, make: () => unknown): HostileMessage => ({ label, make, expected: 'INVALID_ARGUMENT' });

/** `{ d: { d: ... } }` with `levels` objects in all (the message itself counts as one). */
export function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < levels; i++) value = { d: value };
  return value;
}

/** A message whose JSON text is exactly `bytes` bytes of UTF-8. */
export function messageOfBytes(bytes: number): Record<string, string> {
  const overhead = JSON.stringify({ t: '' }).length;
  return { t: 'x'.repeat(bytes - overhead) };
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

/**
 * Messages that JSON cannot hold, that change on the way through JSON, that try to pollute
 * prototypes, or that sit on the size and depth limits. `stored` ones must read back
 * deep-equal to `JSON.parse(JSON.stringify(m))`; the others must be rejected with that code.
 */
export const HOSTILE_MESSAGES: readonly HostileMessage[] = [
  invalid('cycle', () => {
    const m: Record<string, unknown> = { role: 'user' };
    m['self'] = m;
    return m;
  }),
  invalid('cycle through an array', () => {
    const list: unknown[] = [];
    list.push({ list });
    return { list };
  }),
  stored('same object twice (not a cycle)', () => {
    const shared = { a: 1 };
    return { x: shared, y: shared };
  }),
  invalid('BigInt', () => ({ n: 10n })),
  stored('undefined property (dropped, as JSON does)', () => ({ role: 'user', providerData: undefined })),
  invalid('undefined array element', () => ({ list: [1, undefined, 3] })),
  invalid('undefined as the message', () => undefined),
  invalid('null as the message', () => null),
  invalid('nested array as the message (a batch of an array)', () => [[{ role: 'user' }]]),
  invalid('string as the message', () => 'hello'),
  invalid('function', () => ({ f: () => 1 })),
  invalid('symbol value', () => ({ s: Symbol('x') })),
  invalid('symbol key', () => ({ [Symbol('k')]: 1, ok: true })),
  invalid('Date', () => ({ at: new Date(0) })),
  invalid('Date as the message', () => new Date(0)),
  invalid('class instance', () => ({ p: new Point(1, 2) })),
  invalid('Map', () => ({ m: new Map([['a', 1]]) })),
  invalid('Set', () => ({ s: new Set([1]) })),
  invalid('RegExp', () => ({ r: /x/ })),
  invalid('Uint8Array', () => ({ b: new Uint8Array([1, 2]) })),
  invalid('boxed string', () => ({ s: new String('x') })),
  invalid('prototype set by literal __proto__', () => ({ __proto__: { polluted: true }, role: 'user' })),
  stored('own __proto__ key (JSON.parse)', () => JSON.parse('{"__proto__":{"polluted":true},"role":"user"}')),
  stored('nested own __proto__ key', () => JSON.parse('{"a":{"__proto__":{"polluted":true}}}')),
  stored('constructor key', () => ({ constructor: { prototype: { polluted: true } } })),
  stored('prototype key', () => ({ prototype: 'x', toString: 'y', hasOwnProperty: 'z' })),
  stored('null-prototype object', () => Object.assign(Object.create(null) as object, { role: 'user' })),
  invalid('NaN', () => ({ n: NaN })),
  invalid('Infinity', () => ({ n: Infinity })),
  invalid('-Infinity in an array', () => ({ n: [1, -Infinity] })),
  stored('-0 (reads back as 0)', () => ({ z: -0 })),
  stored('2^53 integers', () => ({ max: 2 ** 53, safe: Number.MAX_SAFE_INTEGER, min: -(2 ** 53) })),
  stored('tiny and huge doubles', () => ({ a: 5e-324, b: 1.7976931348623157e308, c: 0.1 + 0.2 })),
  stored('1000 levels of nesting', () => nested(1000)),
  invalid('1001 levels of nesting', () => nested(1001)),
  stored('deep arrays (1000 levels)', () => {
    let value: unknown = [];
    for (let i = 2; i < 1000; i++) value = [value];
    return { a: value };
  }),
  stored('256 KiB exactly', () => messageOfBytes(DEFAULT_MAX_MESSAGE_BYTES)),
  { label: '256 KiB and one byte', make: () => messageOfBytes(DEFAULT_MAX_MESSAGE_BYTES + 1), expected: 'TOO_LARGE' },
  { label: '256 KiB counted in UTF-8 bytes, not characters', make: () => ({ t: '語'.repeat(90_000) }), expected: 'TOO_LARGE' },
  stored('NUL in a string', () => ({ text: 'a\u0000b', [`k\u0000ey`]: 1 })),
  stored('control characters in strings', () => ({ text: '\u0001\u001b[31mred\u007f\u0085\n\r\t' })),
  stored('lone surrogates in a string', () => ({ text: 'a\ud800b\udc00' })),
  stored('emoji and combining marks', () => ({ text: '🙂🇫🇷👨‍👩‍👧 é e\u0301 會話 مرحبا \u202e' })),
  stored('long UTF-8 (60,000 four-byte characters)', () => ({ text: '𝄞'.repeat(60_000) })),
  stored('SQL and Lua text', () => ({ text: "'); DROP TABLE sessions; -- ]] redis.call('FLUSHALL') --[[" })),
  stored('JSON-looking strings', () => ({ text: '{"role":"system"}', n: '1e999' })),
  stored('empty object', () => ({})),
  stored('empty key and odd keys', () => ({ '': 1, ' ': 2, 'a.b': 3, '$where': 4, '*': 5 })),
  stored('many keys', () => Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, i]))),
  stored('tool call with stringified arguments', () => ({ type: 'function_call', name: 'f', arguments: '{"q":"\\u0000"}' })),
];
