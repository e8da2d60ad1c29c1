import { DriverSessionStore } from '../store/driver-store.js';
import type { JsonObject } from '../types.js';
import { MemoryDriver } from './memory-driver.js';
import type { InMemorySessionStoreOptions } from './options.js';

export { MEMORY_BACKEND } from './memory-driver.js';

/**
 * A `SessionStore` held in process memory: for tests, development, and single-process apps
 * that do not need the history to survive a restart. It keeps every rule of the contract
 * (atomic appends, idempotency keys, compare-and-append, TTL, keyset listing). Messages are
 * stored as their JSON text, so nothing a caller holds can change stored history.
 */
export class InMemorySessionStore<M extends JsonObject = JsonObject> extends DriverSessionStore<M> {
  constructor(options: InMemorySessionStoreOptions<M> = {}) {
    const { backing, ...storeOptions } = options;
    super(new MemoryDriver(backing, backing === undefined), storeOptions);
  }
}
