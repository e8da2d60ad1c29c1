/** Running totals reported while sessions move. */
export interface TransferProgress {
  /** Sessions read (export) or written (import, copy) so far. */
  sessions: number;
  /** Messages read (export) or written (import, copy) so far. */
  messages: number;
  /**
   * Messages passed over so far (import, copy): those of skipped sessions and those a resumed
   * session already held. `messages + skippedMessages` is how far through the source a write is.
   */
  skippedMessages?: number;
}

/** What to read, for {@link exportSessions} and {@link copySessions}. */
export interface ReadSessionsOptions {
  /** Only these users' sessions. @default every user, from `store.listUsers()` */
  userIds?: Iterable<string> | AsyncIterable<string>;
  /**
   * Messages per `getMessages` call, and sessions per `listSessions` call (at most 1000): the
   * memory a transfer holds at once.
   * @default 1000
   */
  pageSize?: number;
  /** Called after every session and every page of messages. */
  onProgress?: (progress: TransferProgress) => void;
}

/** What to do with a session the target already holds. */
export type OnExisting = 'skip' | 'error' | 'resume';

/** How to write, for {@link importSessions} and {@link copySessions}. */
export interface WriteSessionsOptions {
  /**
   * A session the target already has: `"error"` stops with `ALREADY_EXISTS`, `"skip"` leaves it
   * as it is, `"resume"` adds only the messages above the highest seq it holds (re-run an
   * interrupted import or copy with it).
   * @default "error"
   */
  onExisting?: OnExisting;
  /** Messages per `restoreMessages` call. @default 500 */
  batchSize?: number;
  /**
   * After each session, check that the target holds exactly as many messages as the source
   * had (`getSession` with `limit: 0`); a difference is an error.
   * @default true
   */
  verify?: boolean;
  /** Called after every session and every batch written. */
  onProgress?: (progress: TransferProgress) => void;
}

/** What an import or a copy did. */
export interface TransferResult {
  /** Sessions restored or resumed. */
  sessions: number;
  /** Messages written. */
  messages: number;
  /** Sessions left alone: already in the target with `onExisting: "skip"`, or expired since the export. */
  skippedSessions: number;
  /** Messages not written: those of skipped sessions, and those a resumed session already held. */
  skippedMessages: number;
}
