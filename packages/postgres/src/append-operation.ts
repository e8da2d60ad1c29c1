import type { AppendResult, JsonObject } from '@sessions/core';
import { errors, isUniqueViolation, mapDriverError } from './errors.js';
import type { AppendStateRow } from './queries/append-state.js';
import { MAX_ATTEMPTS, type StoreContext } from './store-context.js';

/** A checked append request. */
export interface AppendRequest {
  userId: string;
  sessionId: string;
  /** The messages' JSON texts. */
  encoded: string[];
  expectedLastSeq: number | undefined;
  idempotencyKey: string | undefined;
  create: boolean;
}

type Outcome = { done: AppendResult } | { retry: true };

/**
 * Appends a checked batch. The fast path is one statement on an existing session (see
 * `queries/append.ts`), two for a new one. When they write nothing, one more read says why
 * (duplicate, conflict, missing, expired), and the statements run again only if the state
 * moved under them (a concurrent delete, an expired session to reset, a concurrent append
 * with the same idempotency key).
 */
export async function appendBatch<M extends JsonObject>(ctx: StoreContext<M>, request: AppendRequest): Promise<AppendResult> {
  const { userId, sessionId, encoded, expectedLastSeq, idempotencyKey, create } = request;
  // An upsert costs a tuple lock more than an update (an extra WAL record), and most appends go
  // to an existing session: try the update first, the upsert only when the session may be new.
  const mayCreate = create && (expectedLastSeq === undefined || expectedLastSeq === 0);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = ctx.clock();
    const params: unknown[] = [userId, sessionId, encoded, now, expectedLastSeq ?? null, idempotencyKey ?? null];
    let result = await attemptAppend(ctx, ctx.q.appendExisting, params);
    if (!result && mayCreate) result = await attemptAppend(ctx, ctx.q.appendOrCreate, [...params, ctx.defaultTtlMs]);
    if (result) return result;
    const outcome = await explain(ctx, request, now);
    if ('done' in outcome) return outcome.done;
  }
  throw errors.unavailable(`append lost the race for session ${JSON.stringify(sessionId)} ${MAX_ATTEMPTS} times; retry later`, undefined);
}

/** Runs one append statement: its result, or `undefined` when it wrote nothing. */
async function attemptAppend<M extends JsonObject>(ctx: StoreContext<M>, text: string, params: unknown[]): Promise<AppendResult | undefined> {
  try {
    const [row] = await ctx.db.query<{ first_seq: number; last_seq: number }>(text, params);
    return row ? { firstSeq: row.first_seq, lastSeq: row.last_seq, duplicate: false } : undefined;
  } catch (error) {
    // Another append with the same key committed while this one waited for the row lock:
    // the state read that follows finds its result.
    if (isUniqueViolation(error)) return undefined;
    throw mapDriverError(error, 'append');
  }
}

/** Reads why an append wrote nothing and turns it into a result, an error, or "run it again". */
async function explain<M extends JsonObject>(ctx: StoreContext<M>, request: AppendRequest, now: number): Promise<Outcome> {
  const { userId, sessionId, expectedLastSeq, idempotencyKey, create } = request;
  let state: AppendStateRow | undefined;
  try {
    [state] = await ctx.db.query<AppendStateRow>(ctx.q.appendState, [userId, sessionId, now, idempotencyKey ?? null]);
  } catch (error) {
    throw mapDriverError(error, 'append');
  }
  const exists = state?.last_seq != null;
  const live = exists && state?.expired === false;
  if (live && state?.key_first_seq != null && state.key_last_seq != null) {
    return { done: { firstSeq: state.key_first_seq, lastSeq: state.key_last_seq, duplicate: true } };
  }
  const lastSeq = live ? (state?.last_seq ?? 0) : 0;
  if (expectedLastSeq !== undefined && expectedLastSeq !== lastSeq) throw errors.conflict(expectedLastSeq, lastSeq);
  if (!live && !create) throw errors.notFound(userId, sessionId);
  if (exists && !live) await resetExpired(ctx, userId, sessionId, now, 'append');
  return { retry: true };
}

/** Deletes the session if it has expired at `now`, so a write on its id starts fresh. */
export async function resetExpired<M extends JsonObject>(
  ctx: StoreContext<M>,
  userId: string,
  sessionId: string,
  now: number,
  operation: string,
): Promise<boolean> {
  try {
    const rows = await ctx.db.query(ctx.q.resetExpired, [userId, sessionId, now]);
    return rows.length > 0;
  } catch (error) {
    throw mapDriverError(error, operation);
  }
}
