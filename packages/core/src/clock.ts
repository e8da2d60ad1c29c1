/** Returns the current time in ms since the epoch; injectable so tests can move time. */
export type Clock = () => number;

/** The real clock. */
export const systemClock: Clock = () => Date.now();

/** The expiry instant for a session written at `now` with `ttlMs` (`null` when it never expires). */
export function expiryFrom(now: number, ttlMs: number | null | undefined): number | null {
  return ttlMs == null ? null : now + ttlMs;
}
