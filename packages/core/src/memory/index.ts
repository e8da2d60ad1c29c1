export { InMemorySessionStore, MEMORY_BACKEND } from './in-memory-store.js';
export { MemoryBacking } from './memory-backing.js';
export type { InMemorySessionStoreOptions } from './options.js';
export type { MessageEntry, SessionState } from './session-state.js';
export { MemoryDriver } from './memory-driver.js';
