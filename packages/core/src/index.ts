export type * from './types.js';
export type { SessionStore } from './store.js';
export type { RawInspector } from './raw-inspector.js';
export {
  SessionStoreError,
  SESSION_STORE_ERROR_CODES,
  isSessionStoreError,
  storeErrors,
  type SessionStoreErrorCode,
  type SessionStoreErrorOptions,
  type StoreErrors,
} from './errors.js';
export { InputGuard, type InputGuardOptions, type PreparedBatch, type CheckedAppend } from './input-guard.js';
export type { StandardSchemaV1 } from '@standard-schema/spec';
export { jsonProblem, isPlainObject, cloneJson, utf8Length, MAX_JSON_DEPTH } from './json.js';
export { encodeListCursor, decodeListCursor, compareListOrder, type ListCursor } from './cursor.js';
export { mergeMetadata, forkMetadata } from './metadata.js';
export { systemClock, expiryFrom, type Clock } from './clock.js';
export * from './limits.js';
// The zod schemas live at '@sessions/core/schemas': importing core does not load zod.
export { RestoreGuard, type CheckedSnapshot, type PreparedRestoreBatch } from './restore-guard.js';
export * from './driver/index.js';
export * from './store/index.js';
export * from './open-store/index.js';
export {
  InMemorySessionStore,
  MemoryDriver,
  MEMORY_BACKEND,
  MemoryBacking,
  type InMemorySessionStoreOptions,
  type MessageEntry,
  type SessionState,
} from './memory/index.js';
export { openSession, type SessionHandle } from './handle.js';
export * from './transfer/index.js';
