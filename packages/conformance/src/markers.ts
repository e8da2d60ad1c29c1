import type { JsonObject } from '@sessions/core';

/**
 * A message carrying a unique marker, so raw records can be searched for it. The marker ends
 * with `;` so that marker `x-m1` is never found inside the record of marker `x-m10`.
 */
export function marked(marker: string): JsonObject {
  return { role: 'user', content: `marker:${marker};` };
}

/** The records that hold `marker` (as written by {@link marked}). */
export function containing(records: readonly string[], marker: string): string[] {
  return records.filter((record) => record.includes(`marker:${marker};`));
}

/** `count` distinct markers for one session: `<sessionId>-<tag>1`, `<sessionId>-<tag>2`, ... */
export function markersFor(sessionId: string, count: number, tag = 'm'): string[] {
  return Array.from({ length: count }, (_, i) => `${sessionId}-${tag}${i + 1}`);
}
