import { types } from 'node:util';
import type { JsonObject } from '@sessions/core';
import { HISTORY_EDIT_TYPE } from '../shared/history-log.js';

/**
 * The key that marks an encoded `Uint8Array` inside a stored item. The SDK allows binary
 * payloads (file and image data) in its items; JSON cannot hold them, so they are stored as
 * base64 under this key and turned back into bytes on read.
 */
export const BYTES_KEY = '@sessions/bytes';

/**
 * Why an item cannot be stored: where (a path such as `items[0].providerData`) and what is
 * wrong. It never quotes the value, which may be a secret.
 */
export class UnstorableItemError extends Error {
  constructor(
    /** Where the value sits, e.g. `items[2].providerData.bytes`. */
    readonly path: string,
    /** What is wrong with it, e.g. `is a getter`. */
    readonly reason: string,
  ) {
    super(`${path} ${reason}`);
    this.name = 'UnstorableItemError';
  }
}

/**
 * Turns a list of SDK items into the JSON objects the store keeps, binary data as base64. It is
 * as strict as the SDK's `MemorySession` snapshot, and for the same reason: what is stored must
 * be exactly what was given, and a retry must compare equal to the first attempt. So a Proxy,
 * a getter or setter (never called: a getter can throw or change between reads), a
 * non-enumerable or symbol key, a sparse array, a typed array other than `Uint8Array`, a class
 * instance (`Date`, `Map`...), `BigInt`, a function, a non-finite number or a cycle is an
 * {@link UnstorableItemError} before anything is written. `undefined` properties are dropped,
 * as JSON does. A copy is made, so later changes to the caller's objects change nothing.
 */
export function encodeItems(items: unknown, path: string): JsonObject[] {
  const list = encodeValue(items, path, new Set());
  if (!Array.isArray(list)) throw new UnstorableItemError(path, 'is not an array of items');
  return list.map((item: unknown, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item) || isBytes(item)) {
      throw new UnstorableItemError(`${path}[${index}]`, 'is not an item object');
    }
    // The type of the history-edit records older versions wrote: such an item would read back
    // as an edit of the history, not as an item.
    if ((item as JsonObject)['type'] === HISTORY_EDIT_TYPE) {
      throw new UnstorableItemError(`${path}[${index}].type`, `is ${JSON.stringify(HISTORY_EDIT_TYPE)}, a type reserved by @sessions`);
    }
    return item as JsonObject;
  });
}

/** Turns a stored JSON object back into the SDK item it came from. */
export function decodeItem<T>(stored: JsonObject): T {
  return decodeValue(stored) as T;
}

function isBytes(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === BYTES_KEY;
}

function encodeValue(value: unknown, path: string, ancestors: Set<object>): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UnstorableItemError(path, 'is not a finite number');
    return value;
  }
  if (value === undefined) return undefined;
  if (typeof value !== 'object') throw new UnstorableItemError(path, `is a ${typeof value}, which JSON cannot hold`);
  // Checked first: every other check below would run the proxy's traps.
  if (types.isProxy(value)) throw new UnstorableItemError(path, 'is a Proxy');
  if (types.isUint8Array(value)) return encodeBytes(value, path);
  if (types.isArrayBufferView(value) || types.isAnyArrayBuffer(value)) {
    throw new UnstorableItemError(path, 'is binary data other than a Uint8Array');
  }
  if (ancestors.has(value)) throw new UnstorableItemError(path, 'is a cycle (it contains itself)');
  ancestors.add(value);
  try {
    return Array.isArray(value) ? encodeArray(value, path, ancestors) : encodeObject(value, path, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function encodeBytes(value: Uint8Array, path: string): JsonObject {
  const keys = Reflect.ownKeys(value);
  if (keys.length !== value.length) throw new UnstorableItemError(path, 'is a Uint8Array with extra properties');
  // Buffer.from copies, also out of a SharedArrayBuffer another thread may still change.
  return { [BYTES_KEY]: Buffer.from(value).toString('base64') };
}

function encodeArray(value: unknown[], path: string, ancestors: Set<object>): unknown[] {
  const length = value.length;
  const keys = Reflect.ownKeys(value);
  // Exactly the indexes and `length`: no holes, no extra properties.
  if (keys.length !== length + 1) throw new UnstorableItemError(path, 'is a sparse array or has extra properties');
  const out: unknown[] = [];
  for (let index = 0; index < length; index += 1) {
    const descriptor = Object.getOwnPropertyDescriptor(value, index);
    const at = `${path}[${index}]`;
    if (!descriptor) throw new UnstorableItemError(path, 'is a sparse array');
    if (!('value' in descriptor)) throw new UnstorableItemError(at, 'is a getter or setter');
    if (!descriptor.enumerable) throw new UnstorableItemError(at, 'is not enumerable');
    const encoded = encodeValue(descriptor.value, at, ancestors);
    if (encoded === undefined) throw new UnstorableItemError(at, 'is undefined (JSON would store null)');
    out.push(encoded);
  }
  return out;
}

function encodeObject(value: object, path: string, ancestors: Set<object>): JsonObject {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    throw new UnstorableItemError(path, `is ${types.isDate(value) ? 'a Date' : 'a class instance'}; only plain objects, arrays and Uint8Array can be stored`);
  }
  const out: JsonObject = {};
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== 'string') throw new UnstorableItemError(path, 'has a symbol key');
    const at = `${path}.${key}`;
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (!descriptor || !('value' in descriptor)) throw new UnstorableItemError(at, 'is a getter or setter');
    if (!descriptor.enumerable) throw new UnstorableItemError(at, 'is not enumerable');
    const encoded = encodeValue(descriptor.value, at, ancestors);
    // Defined, not assigned: an own `__proto__` key stays a key and never becomes the prototype.
    if (encoded !== undefined) define(out, key, encoded);
  }
  if (isBytes(out)) throw new UnstorableItemError(`${path}.${BYTES_KEY}`, 'is a key reserved by @sessions for binary data');
  return out;
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const bytes = record[BYTES_KEY];
    if (typeof bytes === 'string' && isBytes(record)) return new Uint8Array(Buffer.from(bytes, 'base64'));
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(record)) define(out, key, decodeValue(entry));
    return out;
  }
  return value;
}

/** Sets an own, enumerable property, also for the key `__proto__`. */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
