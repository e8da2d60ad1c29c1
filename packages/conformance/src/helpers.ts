import { expect } from 'vitest';
import {
  isSessionStoreError,
  type JsonObject,
  type Session,
  type SessionStore,
  type SessionStoreError,
  type SessionStoreErrorCode,
  type StoredMessage,
} from '@sessions/core';

/**
 * Awaits `promise` and asserts it rejects with a `SessionStoreError` of `code` whose message
 * carries the `[sessions] [<backend>]` prefix. Returns the error for further checks.
 */
export async function expectCode(
  promise: Promise<unknown>,
  code: SessionStoreErrorCode,
): Promise<SessionStoreError> {
  let outcome: { resolved: unknown } | { error: unknown };
  try {
    outcome = { resolved: await promise };
  } catch (error) {
    outcome = { error };
  }
  if ('resolved' in outcome) {
    expect.fail(`expected a ${code} SessionStoreError, but the call resolved with ${safeText(outcome.resolved)}`);
  }
  const error = outcome.error;
  // The brand, not instanceof: a backend built against another copy of core throws that copy's class.
  if (!isSessionStoreError(error)) {
    expect.fail(`expected a ${code} SessionStoreError, got ${String(error)}`);
  }
  expect(error.code, error.message).toBe(code);
  expect(error.message).toMatch(/^\[sessions\] \[[^\]]+\] /);
  return error;
}

function safeText(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Waits until the wall clock reaches `epochMs`. */
export async function sleepUntil(epochMs: number): Promise<void> {
  await sleep(epochMs - Date.now());
}

/** `n` distinct chat-like messages tagged with `tag`, numbered from `start`. */
export function chatMessages(n: number, tag = 'm', start = 1): JsonObject[] {
  return Array.from({ length: n }, (_, i) => ({ role: i % 2 === 0 ? 'user' : 'assistant', content: `${tag}-${start + i}` }));
}

/** The seqs of stored messages, in the order given. */
export function seqsOf(messages: readonly StoredMessage<JsonObject>[]): number[] {
  return messages.map((m) => m.seq);
}

/** Consecutive integers `from..to` inclusive (empty when `to < from`). */
export function range(from: number, to: number): number[] {
  return to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Asserts that `date` is a `Date` in `[before, after]` (ms since the epoch). */
export function expectTimeBetween(date: Date, before: number, after: number): void {
  expect(date).toBeInstanceOf(Date);
  expect(date.getTime()).toBeGreaterThanOrEqual(before);
  expect(date.getTime()).toBeLessThanOrEqual(after);
}

/** Reads everything a test may compare to prove that a rejected call wrote nothing. */
export async function snapshotSession(
  store: SessionStore<JsonObject>,
  userId: string,
  sessionId: string,
): Promise<Session<JsonObject> | null> {
  return store.getSession(userId, sessionId);
}

/** Asserts that the session is exactly as `before` (a {@link snapshotSession}): nothing was written. */
export async function expectUnchanged(
  store: SessionStore<JsonObject>,
  userId: string,
  sessionId: string,
  before: Session<JsonObject> | null,
): Promise<void> {
  const after = await store.getSession(userId, sessionId);
  expect(after, 'a rejected call must write nothing').toEqual(before);
}

/** The JSON form of a value, as the contract says a message reads back. */
export function jsonForm<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Collects an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/**
 * Asserts that `expiresAt` is `ttlMs` after a write made between `before` and `after`, give or
 * take the backend's TTL granularity.
 */
export function expectExpiresAfterWrite(
  expiresAt: Date | null | undefined,
  before: number,
  after: number,
  ttlMs: number,
  granularityMs: number,
): void {
  const at = present(expiresAt, 'the expiresAt of a session with a TTL');
  const slack = granularityMs > 1 ? granularityMs : 0;
  expectTimeBetween(at, before + ttlMs - slack, after + ttlMs + slack);
}

/** Asserts that `value` is neither `null` nor `undefined` and returns it, typed as present. */
export function present<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) expect.fail(`${what} must be present, got ${String(value)}`);
  return value;
}

/** Runs `call` and asserts it throws (synchronously) a `SessionStoreError` of `code`. */
export async function expectThrowsCode(call: () => unknown, code: SessionStoreErrorCode): Promise<SessionStoreError> {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    return expectCode(Promise.reject(error), code);
  }
  return expectCode(Promise.resolve(result), code);
}
