import type { JsonObject } from './types.js';

/** How deep a message or metadata object may nest before it is rejected. */
export const MAX_JSON_DEPTH = 1000;

/**
 * Checks that `value` is a plain JSON object that round-trips through `JSON.stringify` /
 * `JSON.parse` unchanged (apart from properties whose value is `undefined`, which are dropped
 * as JSON does). Returns a description of the first problem, with its path, or `null`.
 *
 * Rejected: `undefined` as the value or as an array element, functions, symbols (as values or
 * keys), `BigInt`, cycles, `NaN`/`Infinity`, `Date`s, `Map`s and any other class instance, and
 * nesting deeper than {@link MAX_JSON_DEPTH}.
 */
export function jsonProblem(value: unknown): string | null {
  if (!isPlainObject(value)) return `must be a plain JSON object, got ${describe(value)}`;
  return walk(value, '$', new Set(), 0);
}

function walk(value: unknown, path: string, ancestors: Set<object>, depth: number): string | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${path} is ${value}, which JSON cannot hold`;
    case 'object': {
      if (value === null) return null;
      if (depth >= MAX_JSON_DEPTH) return `${path} nests deeper than ${MAX_JSON_DEPTH} levels`;
      if (ancestors.has(value)) return `${path} is a circular reference`;
      if (Array.isArray(value)) {
        ancestors.add(value);
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === undefined) return `${path}[${i}] is undefined (JSON would turn it into null)`;
          const problem = walk(item, `${path}[${i}]`, ancestors, depth + 1);
          if (problem) return problem;
        }
        ancestors.delete(value);
        return null;
      }
      if (!isPlainObject(value)) return `${path} is ${describe(value)}, not plain JSON (convert it first, e.g. a Date to an ISO string)`;
      if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has a symbol key`;
      ancestors.add(value);
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const item = record[key];
        if (item === undefined) continue; // dropped, as JSON.stringify does
        const problem = walk(item, `${path}.${key}`, ancestors, depth + 1);
        if (problem) return problem;
      }
      ancestors.delete(value);
      return null;
    }
    default:
      return `${path} is ${describe(value)}, which JSON cannot hold`;
  }
}

/** `true` for `{}`-style objects (prototype `Object.prototype` or `null`), not class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name ? `a ${name} instance` : 'an object with a custom prototype';
  }
  if (typeof value === 'bigint') return 'a BigInt';
  return `a ${typeof value}`;
}

/** A deep copy of a JSON object through its JSON text, as a store returns it. */
export function cloneJson<T extends JsonObject>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** UTF-8 length of a string, without allocating a buffer. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
