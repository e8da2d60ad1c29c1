/**
 * Test helpers for code built on `@sessions/sqlite`: a raw inspector for
 * `@sessions/conformance` that reads the store's tables with plain SQL, bypassing the store.
 */
export { sqliteInspector } from './raw-inspector.js';
