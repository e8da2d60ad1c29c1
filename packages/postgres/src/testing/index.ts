/**
 * Test helpers for code built on `@sessions/postgres`: a raw inspector for
 * `@sessions/conformance` that reads the store's tables with plain SQL, bypassing the store.
 */
export { postgresInspector, type RawQuery } from './raw-inspector.js';
