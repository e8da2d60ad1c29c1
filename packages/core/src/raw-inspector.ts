/**
 * Reads what a backend really stored, bypassing the store, so the suite can check what a
 * round-trip cannot show: an index entry left behind, an expiry not set, plaintext where there
 * should be none. Each backend ships one over its raw client from its `testing` entry point
 * (`@sessions/redis/testing`, ...); `@sessions/conformance` uses it to check storage.
 */
export interface RawInspector {
  /**
   * Every raw record (key, row or item) the backend holds for this user in the namespace,
   * each rendered as text (key/ids and stored values), session records, messages,
   * idempotency records and listing-index entries included. After `deleteUser` it must be empty.
   */
  userRecords(userId: string): Promise<string[]>;
  /** The raw records of one session (record, messages, idempotency keys, its index entries). */
  sessionRecords(userId: string, sessionId: string): Promise<string[]>;
  /**
   * The expiry the backend itself holds for the session's record (ms since the epoch), as its
   * native TTL or stored column, or `null` when none is set. `undefined` if the session has no record.
   */
  sessionExpiry(userId: string, sessionId: string): Promise<number | null | undefined>;
}
