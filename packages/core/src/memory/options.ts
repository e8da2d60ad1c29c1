import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { Clock } from '../clock.js';
import type { JsonObject } from '../types.js';
import type { MemoryBacking } from './memory-backing.js';

/** Options of {@link InMemorySessionStore}. */
export interface InMemorySessionStoreOptions<M extends JsonObject = JsonObject> {
  /**
   * Default time to live of a session in ms, slid by every write; a session's own `ttlMs`
   * (createSession, getOrCreateSession, updateSession) overrides it.
   * @default undefined (sessions never expire)
   */
  ttlMs?: number;
  /**
   * Largest encoded message in bytes (UTF-8 of its JSON text); a bigger one is `TOO_LARGE`.
   * @default 262144 (256 KiB)
   */
  maxMessageBytes?: number;
  /**
   * A Standard Schema (a zod schema, for one) every appended message must satisfy; what it
   * returns is what is stored. Reads are typed by it.
   * @default undefined (any plain JSON object)
   */
  messageSchema?: StandardSchemaV1<unknown, M>;
  /**
   * Where the store reads the time (ms since the epoch) for timestamps and expiry; inject a
   * fake one to test TTLs without waiting.
   * @default Date.now
   */
  clock?: Clock;
  /**
   * The data to work on. Pass the same backing to several stores to share data between them;
   * a backing passed in is left as it is by `close()`.
   * @default a new, private backing
   */
  backing?: MemoryBacking;
}
