import type { JsonObject } from '@sessions/core';

/**
 * The key that marks an encoded `Uint8Array` inside a stored item. The SDK allows binary
 * payloads (file and image data) in its items; JSON cannot hold them, so they are stored as
 * base64 under this key and turned back into bytes on read.
 */
export const BYTES_KEY = '@sessions/bytes';

/** Turns an SDK item into the JSON object the store keeps (binary data as base64). */
export function encodeItem(item: object): JsonObject {
  return encodeValue(item, new Set()) as JsonObject;
}

/** Turns a stored JSON object back into the SDK item it came from. */
export function decodeItem<T>(stored: JsonObject): T {
  return decodeValue(stored) as T;
}

function encodeValue(value: unknown, ancestors: Set<object>): unknown {
  if (value instanceof Uint8Array) return { [BYTES_KEY]: Buffer.from(value).toString('base64') };
  if (value === null || typeof value !== 'object') return value;
  // A cycle is left in place for the store's input check to reject with a clear error.
  if (ancestors.has(value)) return value;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((entry) => encodeValue(entry, ancestors));
    // Class instances other than bytes (a Date, a Map) are passed through untouched, so the
    // store's input check rejects them instead of storing something that reads back different.
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      // `undefined` properties are dropped by the store anyway (rule 7); skipping them here
      // keeps digests of equal items equal.
      if (entry !== undefined) out[key] = encodeValue(entry, ancestors);
    }
    return out;
  } finally {
    ancestors.delete(value);
  }
}

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const bytes = record[BYTES_KEY];
    if (typeof bytes === 'string' && Object.keys(record).length === 1) {
      return new Uint8Array(Buffer.from(bytes, 'base64'));
    }
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(record)) out[key] = decodeValue(entry);
    return out;
  }
  return value;
}
