import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Clock } from '../clock.js';
import type { JsonObject } from '../types.js';
import type { MessageCodec } from './codec.js';

/**
 * The options every store accepts, whatever its backend: one declaration, so the docs of a
 * field never drift between backends. A backend's own options extend this type.
 */
export interface StoreOptions<M extends JsonObject = JsonObject> {
  /**
   * Default time to live of a session in ms, slid by every write; a session's own `ttlMs`
   * (createSession, getOrCreateSession, updateSession) overrides it. `null` or absent: sessions
   * never expire.
   * @default undefined (sessions never expire)
   */
  ttlMs?: number | null;
  /**
   * Largest message, in UTF-8 bytes of its JSON text as the caller gave it (before any codec);
   * a bigger one is `TOO_LARGE`.
   * @default 262144 (256 KiB)
   */
  maxMessageBytes?: number;
  /**
   * Most messages one write (`append`, `replaceTail`, `restoreMessages`, `rewriteMessages`)
   * may carry, so no single call does unbounded work on the server; more is `TOO_LARGE`.
   * @default 10000
   */
  maxBatchMessages?: number;
  /**
   * Most bytes (UTF-8 of the messages' JSON text) one write may carry; more is `TOO_LARGE`.
   * @default 16777216 (16 MiB)
   */
  maxBatchBytes?: number;
  /**
   * Page size of whole-history reads: a `getMessages` or `getSession` without `limit` reads
   * the history in server calls of at most this many messages, so no call is unbounded.
   * @default 1000
   */
  readPageSize?: number;
  /**
   * A Standard Schema (a zod schema, for one) every written message must satisfy; what it
   * returns is what is stored. Reads are typed by it.
   * @default undefined (any plain JSON object)
   */
  messageSchema?: StandardSchemaV1<unknown, M>;
  /**
   * Codecs applied to every stored message after validation, in order (encryption is one:
   * `encryption({ keys })` from `@sessions/encrypt`). Reads apply them in reverse.
   * @default [] (messages are stored as their JSON text)
   */
  codecs?: MessageCodec[];
  /**
   * Where the store reads the time (ms since the epoch) for timestamps and expiry; inject a
   * fake one to test TTLs without waiting.
   * @default Date.now
   */
  clock?: Clock;
  /**
   * How long `health()` waits for the server's answer, in ms.
   * @default 2000
   */
  healthTimeoutMs?: number;
}

/** Default {@link StoreOptions.maxBatchMessages}. */
export const DEFAULT_MAX_BATCH_MESSAGES = 10_000;
/** Default {@link StoreOptions.maxBatchBytes}. */
export const DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** Default {@link StoreOptions.readPageSize}. */
export const DEFAULT_READ_PAGE_SIZE = 1000;
/** Default {@link StoreOptions.healthTimeoutMs}. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 2000;
