import type { SessionRef } from '@sessions/core';
import { storageKey } from './ids.js';
import { channelName, sessionPayload, userPayload } from './notify.js';
import type { SqlClient } from './sql-client.js';

/** Pause before trying a failed `LISTEN` again while someone is watching. */
const RELISTEN_DELAY_MS = 1000;

/**
 * The driver's side of `watch`: ONE `LISTEN` on the schema's channel per store, started by the
 * first watcher and kept until the store closes, and a table from notification payload to
 * the watchers it concerns. A notification is a hint (the watch loop re-reads after it, and
 * polls anyway), so nothing here ever throws at a watcher: a `LISTEN` that fails is retried
 * every second while someone watches, and every watcher is woken once listening (again),
 * since notifications sent meanwhile are lost.
 */
export class ChangeListener {
  private readonly channel: string;
  /** Payload → the wake-up functions of the watches it concerns. */
  private readonly watchers = new Map<string, Set<() => void>>();
  private stop: (() => Promise<void>) | undefined;
  private starting: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly client: SqlClient,
    schema: string,
  ) {
    this.channel = channelName(schema);
  }

  /**
   * Calls `listener` after each committed write to the session (or to all sessions of its user,
   * `deleteUser`). Resolves once the store listens (or its `LISTEN` failed: then it is retried
   * and the watch's poll covers the gap), to a function that stops.
   */
  async subscribe(ref: SessionRef, listener: () => void): Promise<() => Promise<void>> {
    const user = storageKey(ref.userId);
    const payloads = [sessionPayload(user, storageKey(ref.sessionId)), userPayload(user)];
    // A wrapper of its own, so a listener subscribed twice is removed once per stop.
    const wake = (): void => listener();
    for (const payload of payloads) {
      let set = this.watchers.get(payload);
      if (!set) this.watchers.set(payload, (set = new Set()));
      set.add(wake);
    }
    await this.listen();
    return async () => {
      for (const payload of payloads) {
        const set = this.watchers.get(payload);
        set?.delete(wake);
        if (set?.size === 0) this.watchers.delete(payload);
      }
    };
  }

  /** Stops listening; later notifications reach no one. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.watchers.clear();
    await this.starting;
    const stop = this.stop;
    this.stop = undefined;
    // The connection may already be gone: nothing is left to release then.
    await stop?.().catch(() => undefined);
  }

  /** Starts the `LISTEN` unless it runs or is starting; never rejects. */
  private listen(): Promise<void> {
    if (this.stop || this.closed) return Promise.resolve();
    this.starting ??= this.client
      .listen(this.channel, (payload) => this.dispatch(payload), () => this.wakeAll())
      .then(
        async (stop) => {
          if (this.closed) return stop().catch(() => undefined);
          this.stop = stop;
        },
        () => this.scheduleRetry(),
      )
      .finally(() => (this.starting = undefined));
    return this.starting;
  }

  private scheduleRetry(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.watchers.size === 0 || this.closed) return;
      void this.listen().then(() => {
        if (this.stop) this.wakeAll();
      });
    }, RELISTEN_DELAY_MS);
    // A retry never keeps the process alive on its own.
    this.retry.unref();
  }

  private dispatch(payload: string): void {
    if (this.closed) return;
    const set = this.watchers.get(payload);
    if (set) for (const wake of [...set]) safely(wake);
  }

  private wakeAll(): void {
    if (this.closed) return;
    for (const set of [...this.watchers.values()]) for (const wake of [...set]) safely(wake);
  }
}

/** Runs a wake-up: whatever it throws must not reach the client's connection handler. */
function safely(wake: () => void): void {
  try {
    wake();
  } catch {
    // A watcher's wake-up only sets a flag; a failure there leaves its poll to catch up.
  }
}
