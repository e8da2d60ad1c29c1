import { expect } from 'vitest';
import type { JsonObject, SessionStore } from '@sessions/core';
import type { ResolvedCapabilities } from './context.js';
import { chatMessages, expectCode } from './helpers.js';
import type { RawInspector } from './types.js';

/**
 * The TTL the expiry tests use: at least three of the backend's TTL units, and 1.5 s at the
 * least, so a loaded CI machine (a read taking a few hundred ms) cannot push a check past the
 * instant it is about.
 */
export function testTtlMs(capabilities: ResolvedCapabilities): number {
  return Math.max(1500, 3 * capabilities.ttlGranularityMs);
}

/** How long after an expiry instant the tests wait before they expect the session gone. */
export function expiryMarginMs(capabilities: ResolvedCapabilities): number {
  return capabilities.ttlGranularityMs + 50;
}

/**
 * Asserts that an expired session behaves exactly as a deleted one for every call that does
 * not recreate it: no read returns it, writes that need it are NOT_FOUND, clear is a no-op.
 */
export async function expectGone(store: SessionStore<JsonObject>, userId: string, sessionId: string): Promise<void> {
  const label = `${userId}/${sessionId} has expired`;
  expect(await store.getSession(userId, sessionId), label).toBeNull();
  expect(await store.getSession(userId, sessionId, { limit: 1 }), label).toBeNull();
  expect(await store.getMessages(userId, sessionId), label).toEqual([]);
  expect(await store.getMessages(userId, sessionId, { limit: 2, afterSeq: 0, from: 'start' }), label).toEqual([]);
  expect((await store.listSessions(userId, { limit: 1000 })).items.map((i) => i.id), label).not.toContain(sessionId);
  expect(await store.popMessage(userId, sessionId), label).toBeNull();
  await expectCode(store.updateSession(userId, sessionId, { metadata: { revived: true } }), 'NOT_FOUND');
  await expectCode(store.forkSession(userId, sessionId, { newSessionId: `${sessionId}-fork` }), 'NOT_FOUND');
  await expectCode(store.append(userId, sessionId, chatMessages(1), { create: false }), 'NOT_FOUND');
  await store.clearSession(userId, sessionId);
  expect(await store.getSession(userId, sessionId), `${label}; clearSession must not revive it`).toBeNull();
}

/**
 * Asserts that the backend's own expiry for the session matches `expiresAt` within the TTL
 * granularity (or is absent when `expiresAt` is null).
 */
export async function expectNativeExpiry(
  inspector: RawInspector | undefined,
  userId: string,
  sessionId: string,
  expiresAt: Date | null | undefined,
  capabilities: ResolvedCapabilities,
): Promise<void> {
  if (!inspector) return;
  const native = await inspector.sessionExpiry(userId, sessionId);
  if (expiresAt === null || expiresAt === undefined) {
    expect(native, `native expiry of ${userId}/${sessionId}`).toBeNull();
    return;
  }
  expect(native, `native expiry of ${userId}/${sessionId} must be set`).toEqual(expect.any(Number));
  // A backend with second-granular TTLs may round either way, and one that sets a relative TTL
  // (PEXPIRE) gets the server's clock plus a round trip: both are far below what a slide moves.
  const slack = Math.max(capabilities.ttlGranularityMs, 100);
  expect(Math.abs((native as number) - expiresAt.getTime())).toBeLessThanOrEqual(slack);
}
