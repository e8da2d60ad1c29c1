import type { JsonObject } from './types.js';

/**
 * Shallow-merges `patch` into `current`: a key whose value is `null` is removed, any other
 * value replaces the old one. Returns a new object; neither argument is changed.
 */
export function mergeMetadata(current: JsonObject, patch: JsonObject | undefined): JsonObject {
  const merged: JsonObject = { ...current };
  if (!patch) return merged;
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else setOwn(merged, key, value);
  }
  return merged;
}

/** Sets an own data property; a plain assignment to `__proto__` would change the prototype instead. */
function setOwn(target: JsonObject, key: string, value: JsonObject[string]): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The metadata of a fork: the source's, plus `forkedFrom`, then the caller's patch. */
export function forkMetadata(
  source: JsonObject,
  fromSessionId: string,
  seq: number,
  patch: JsonObject | undefined,
): JsonObject {
  return mergeMetadata({ ...source, forkedFrom: { sessionId: fromSessionId, seq } }, patch);
}
