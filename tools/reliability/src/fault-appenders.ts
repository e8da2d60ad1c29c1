import { inspect } from 'node:util';
import { isSessionStoreError, type AppendResult, type SessionStore } from '@sessions/core';

/** One append call made while a server was being killed and restarted. */
export interface FaultCall {
  appender: number;
  batch: number;
  userId: string;
  sessionId: string;
  size: number;
  key?: string;
  attempt: number;
  startedAt: number;
  durationMs: number;
  result?: AppendResult;
  /** The error's code; `raw <name>` when something other than a SessionStoreError escaped. */
  error?: string;
  /** The error message (and its cause's), for diagnosis. */
  errorDetail?: string;
  /** The error's own message quoted message content or a secret (it must never). */
  leakInMessage?: boolean;
  /** `util.inspect(error)` (what a logger prints, the cause included) quoted message content or a secret. */
  leakInInspect?: boolean;
}

/** A marker every appended message carries; no error message may quote it. */
export const CONTENT_MARKER = 'content-that-must-not-be-logged';

/** Options of {@link startFaultAppenders}. */
export interface FaultAppendersOptions {
  appenders: number;
  /** The users written to; on a cluster their hash tags spread over the masters. */
  users: string[];
  /** Sessions per user. @default 2 */
  sessionsPerUser?: number;
  /** Pause after a failed call, ms. @default 100 */
  backoffMs?: number;
  /** Secrets (a password in the URL) that no error may quote, besides message content. */
  secrets?: string[];
}

/** Running appenders: their calls so far, and how to stop them. */
export interface FaultAppenders {
  readonly calls: FaultCall[];
  /** Acknowledged calls so far (those that returned a result). */
  acknowledged(since?: number): number;
  /** Failed calls so far. */
  failed(since?: number): number;
  /** Stops after the calls in flight; resolves when every appender has returned. */
  stop(): Promise<void>;
}

/**
 * Starts appenders that write batches of 1 to 5 messages (`{ a, b, i }`: appender, batch,
 * index) until stopped. Even batches carry an idempotency key and are retried with that key
 * until they succeed (a failed call may have been applied: the key makes the retry safe);
 * odd batches carry none and are abandoned on failure. Every call is recorded with its
 * duration and outcome.
 */
export function startFaultAppenders(store: SessionStore, options: FaultAppendersOptions): FaultAppenders {
  const calls: FaultCall[] = [];
  const sessions = options.sessionsPerUser ?? 2;
  const backoff = options.backoffMs ?? 100;
  let stopping = false;
  const loops = Array.from({ length: options.appenders }, async (_, appender) => {
    for (let batch = 0; !stopping; batch++) {
      const userId = options.users[(appender + batch) % options.users.length]!;
      const sessionId = `s${batch % sessions}`;
      const size = 1 + ((appender * 7 + batch * 3) % 5);
      const messages = Array.from({ length: size }, (_, i) => ({ a: appender, b: batch, i, text: `${CONTENT_MARKER} ${appender}/${batch}/${i}` }));
      const key = batch % 2 === 0 ? `a${appender}-b${batch}` : undefined;
      for (let attempt = 1; ; attempt++) {
        const call: FaultCall = { appender, batch, userId, sessionId, size, attempt, startedAt: Date.now(), durationMs: 0, ...(key ? { key } : {}) };
        calls.push(call);
        try {
          call.result = await store.append(userId, sessionId, messages, key ? { idempotencyKey: key } : {});
        } catch (error) {
          call.error = isSessionStoreError(error) ? error.code : `raw ${error instanceof Error ? error.name : typeof error}`;
          call.errorDetail = error instanceof Error ? `${error.message} / ${String(error.cause)}` : String(error);
          const leaks = (text: string) => [CONTENT_MARKER, ...(options.secrets ?? [])].some((secret) => text.includes(secret));
          call.leakInMessage = leaks(error instanceof Error ? error.message : String(error));
          call.leakInInspect = leaks(inspect(error, { depth: 6 }));
        }
        call.durationMs = Date.now() - call.startedAt;
        if (call.result || !key || stopping) break;
        await new Promise((resolve) => setTimeout(resolve, backoff));
      }
      if (calls.at(-1)?.error) await new Promise((resolve) => setTimeout(resolve, backoff));
    }
  });
  const count = (since: number, ok: boolean) => calls.filter((c) => c.startedAt >= since && (ok ? c.result : c.error)).length;
  return {
    calls,
    acknowledged: (since = 0) => count(since, true),
    failed: (since = 0) => count(since, false),
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

/** Polls `condition` every 100 ms until it holds; throws after `timeoutMs` with `what`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
