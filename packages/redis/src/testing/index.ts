/**
 * Test helpers for code built on `@sessions/redis`: a raw inspector for
 * `@sessions/conformance` (it reads the keys the store wrote, bypassing the store) and the
 * SCAN helpers it uses. Not needed at run time; SCAN makes them unfit for production paths.
 */
export { redisInspector, scanKeys, masters, renderKey, globEscape } from './raw-inspector.js';
