import type { SessionDriver, SessionRef, StoredEntry } from '../driver/session-driver.js';
import type { SessionChange, SessionInfo, StoredMessage } from '../types.js';

/** What a watch needs from its store. */
export interface WatchContext<M> {
  driver: SessionDriver;
  readPageSize: number;
  now(): number;
  /** Throws `CLOSED` once the store is closed. */
  open(): void;
  /** Runs a driver call, mapping what it throws. */
  call<T>(run: () => Promise<T>): Promise<T>;
  decode(entries: StoredEntry[], ref: SessionRef): Promise<StoredMessage<M>[]>;
  info(session: SessionInfo): Promise<SessionInfo>;
}

/** Default poll interval of a watch over a driver without notifications. */
export const DEFAULT_WATCH_POLL_MS = 1000;
/** Default poll interval of a watch over a driver that notifies: a safety net only. */
export const DEFAULT_NOTIFIED_WATCH_POLL_MS = 5000;

/**
 * The watch loop. Each round reads the messages after the cursor (in bounded pages, yielding
 * each page before reading the next, so nothing is buffered beyond one page), then the session
 * record, and compares the record with what appends alone would explain. A round starts when a
 * notification arrives or the poll interval passes.
 */
export async function* watchSession<M>(
  context: WatchContext<M>,
  ref: SessionRef,
  afterSeq: number,
  pollIntervalMs: number | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<SessionChange<M>, void, undefined> {
  const { driver } = context;
  let cursor = afterSeq;
  let notified = false;
  let wake: (() => void) | undefined;
  const onNotify = (): void => {
    notified = true;
    wake?.();
  };
  const stop = driver.subscribe ? await context.call(() => driver.subscribe!(ref, onNotify)) : undefined;
  const interval = pollIntervalMs ?? (stop ? DEFAULT_NOTIFIED_WATCH_POLL_MS : DEFAULT_WATCH_POLL_MS);
  const onAbort = (): void => wake?.();
  signal?.addEventListener('abort', onAbort);
  // The record of the previous round: null when the session did not exist, undefined before the first.
  let previous: SessionInfo | null | undefined;
  // createdAt of each seq delivered since `previous` was read, to tell an append from a later write.
  let deliveredAt = new Map<number, number>();
  try {
    for (;;) {
      if (signal?.aborted) return;
      context.open();
      notified = false;
      // The record first: every message after the cursor is read after it, so whatever the
      // record shows is either delivered this round or judged against the next record.
      const found = await context.call(() => driver.get({ ...ref, limit: 0, now: context.now() }));
      const record = found?.session ?? null;
      let changed = false;
      if (record === null) {
        if (previous) yield { type: 'deleted' };
        if (previous !== undefined) cursor = 0;
      } else if (previous && record.createdAt.getTime() !== previous.createdAt.getTime()) {
        // Deleted (or expired) and created again between two rounds: a new session.
        yield { type: 'deleted' };
        cursor = 0;
      } else if (previous) {
        changed = changedOtherThanByAppend(previous, record, deliveredAt);
      } else if (previous === null && record.lastSeq < cursor) {
        cursor = 0;
      }
      previous = record;
      deliveredAt = new Map();
      for (;;) {
        const page = await context.call(() =>
          driver.read({ ...ref, afterSeq: cursor, beforeSeq: undefined, limit: context.readPageSize, from: 'start', now: context.now() }),
        );
        const last = page[page.length - 1];
        if (!last) break;
        cursor = last.seq;
        for (const entry of page) deliveredAt.set(entry.seq, entry.createdAt);
        yield { type: 'appended', messages: await context.decode(page, ref) };
        if (signal?.aborted) return;
        if (page.length < context.readPageSize) break;
      }
      if (changed && record) yield { type: 'changed', session: await context.info(record) };
      if (!notified) await sleep(interval, (resolve) => (wake = resolve), signal);
      wake = undefined;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (stop) await stop().catch(() => undefined);
  }
}

/**
 * `true` when the record moved in a way appends alone do not explain. Seqs are assigned only by
 * appends (append, replaceTail), contiguously, so appends alone add exactly
 * `now.lastSeq - before.lastSeq` messages and leave `updatedAt` at the newest one's `createdAt`.
 * Anything else (a pop, clear, trim, rewrite, the removal of a replaceTail, an update) shows as
 * another count, other metadata or a later `updatedAt`.
 */
function changedOtherThanByAppend(before: SessionInfo, now: SessionInfo, deliveredAt: ReadonlyMap<number, number>): boolean {
  if (now.messageCount !== before.messageCount + (now.lastSeq - before.lastSeq)) return true;
  if (JSON.stringify(now.metadata) !== JSON.stringify(before.metadata)) return true;
  const updatedAt = now.updatedAt.getTime();
  if (updatedAt === before.updatedAt.getTime()) return false;
  if (now.lastSeq === before.lastSeq) return true;
  return deliveredAt.get(now.lastSeq) !== updatedAt;
}

function sleep(ms: number, register: (resolve: () => void) => void, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      resolve();
    }
    register(done);
  });
}
