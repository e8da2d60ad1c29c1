/**
 * Test helpers for code built on `@sessions/dynamo`: a raw inspector for
 * `@sessions/conformance` that reads the table with GetItem/Query, bypassing the store.
 */
export { dynamoInspector } from './raw-inspector.js';
