import type { StoreOptions } from '../store/options.js';
import type { JsonObject } from '../types.js';
import type { MemoryBacking } from './memory-backing.js';

/** Options of {@link InMemorySessionStore}. */
export interface InMemorySessionStoreOptions<M extends JsonObject = JsonObject> extends StoreOptions<M> {
  /**
   * The data to work on. Pass the same backing to several stores to share data between them;
   * a backing passed in is left as it is by `close()`.
   * @default a new, private backing
   */
  backing?: MemoryBacking;
}
