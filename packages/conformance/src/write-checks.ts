import { expect } from 'vitest';
import type { SuiteContext } from './context.js';
import { expectNativeExpiry } from './expiry-checks.js';
import { expectExpiresAfterWrite, present, sleep } from './helpers.js';

/** The TTL of sessions whose slide the write checks measure: long, so nothing expires meanwhile. */
export const SLIDE_TTL_MS = 3_600_000;

/**
 * Asserts that `write` is a write to an existing session: it bumps `updatedAt`, slides the
 * expiry to `ttl` after the write (in the store's answer and, with an inspector, natively) and
 * keeps `createdAt` and the metadata. The session must exist with a TTL of
 * {@link SLIDE_TTL_MS}. Waits longer than the backend's TTL unit first, so that a store that
 * does not slide is caught even on a backend with second-granular TTLs.
 */
export async function expectWriteTouches(
  ctx: SuiteContext,
  userId: string,
  sessionId: string,
  write: () => Promise<unknown>,
): Promise<void> {
  const before = present(await ctx.store.getSession(userId, sessionId, { limit: 0 }), 'the session before the write');
  const slack = ctx.capabilities.ttlGranularityMs > 1 ? ctx.capabilities.ttlGranularityMs : 0;
  await sleep(slack + 25);
  const started = Date.now();
  await write();
  const ended = Date.now();
  const after = present(await ctx.store.getSession(userId, sessionId, { limit: 0 }), 'the session after the write');
  expect(after.updatedAt.getTime(), 'updatedAt is bumped by the write').toBeGreaterThan(before.updatedAt.getTime());
  expectExpiresAfterWrite(after.expiresAt, started, ended, SLIDE_TTL_MS, ctx.capabilities.ttlGranularityMs);
  expect(present(after.expiresAt).getTime(), 'the expiry slides forward').toBeGreaterThan(present(before.expiresAt).getTime());
  expect(after.createdAt.getTime(), 'createdAt never changes').toBe(before.createdAt.getTime());
  expect(after.metadata, 'a write of messages keeps the metadata').toEqual(before.metadata);
  await expectNativeExpiry(ctx.inspector, userId, sessionId, after.expiresAt, ctx.capabilities);
}
