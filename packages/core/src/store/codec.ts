import type { StoredEntry } from '../driver/session-driver.js';
import type { JsonObject } from '../types.js';

/** The session a codec works for: keys and associated data are bound to it. */
export interface CodecContext {
  userId: string;
  sessionId: string;
}

/**
 * Changes what the store keeps for each message, after validation: encryption is one (see
 * `@sessions/encrypt`'s `encryption(...)`). Codecs run in the order given on write and in
 * reverse order on read. A codec sees and returns text: each message's JSON text (or the
 * previous codec's output) in, the text to store out. Size limits apply to the caller's
 * message, before any codec: an envelope's extra bytes are the codec's business.
 *
 * What a codec returns must itself be JSON text (an envelope object, a string): every backend
 * can hold JSON, and PostgreSQL keeps messages in a `json` column, which refuses anything else.
 */
export interface MessageCodec {
  /** Short name, used in error messages. */
  readonly name: string;
  /** Encodes the texts of one write, in order. */
  encode(texts: string[], context: CodecContext): string[] | Promise<string[]>;
  /**
   * Decodes stored entries, in order. A codec may leave an entry out (a "skip" policy for
   * undecryptable data); it throws a `SessionStoreError` (`DECRYPT_FAILED`) otherwise.
   */
  decode(entries: StoredEntry[], context: CodecContext): StoredEntry[] | Promise<StoredEntry[]>;
  /**
   * The text a fork must store for an entry copied from `from` into `to`, when the stored text
   * is bound to its session (an AEAD's associated data). Absent: entries are copied as stored.
   * It receives the text as stored (the output of the whole chain), so only the last codec of
   * a chain may bind to the session. The store forks first and rebinds after, a page at a time:
   * a reader of the new fork in between may see entries it cannot decode yet.
   */
  rebind?(entries: StoredEntry[], from: CodecContext, to: CodecContext): StoredEntry[] | Promise<StoredEntry[]>;
  /**
   * The idempotency key the driver stores for a caller's key: a keyed hash, for a codec that
   * must not leave caller text in clear. Absent: keys are stored as given.
   */
  encodeIdempotencyKey?(key: string, context: CodecContext): string | Promise<string>;
  /**
   * The stored metadata a fork must hold for metadata copied from `from` into `to`, when stored
   * values are bound to their session. Absent: metadata is copied as stored.
   */
  rebindMetadata?(metadata: JsonObject, from: CodecContext, to: CodecContext): JsonObject | Promise<JsonObject>;
  /** Encodes metadata values before they are stored (a `null` value must stay `null`: it means "remove"). */
  encodeMetadata?(metadata: JsonObject, context: CodecContext): JsonObject | Promise<JsonObject>;
  /** Decodes stored metadata values. */
  decodeMetadata?(metadata: JsonObject, context: CodecContext): JsonObject | Promise<JsonObject>;
}
