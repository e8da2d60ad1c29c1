import type { SessionRef } from '@sessions/core';
import { Cluster } from 'ioredis';
import type { RedisClient } from './client.js';
import type { KeySpace } from './keys.js';

/**
 * How long a subscribe waits for the server to confirm before it resolves anyway. A watch
 * starts reading once subscribe resolves; while the server is unreachable its poll carries it,
 * and the subscription goes through whenever the connection comes back.
 */
const CONFIRM_WAIT_MS = 2_000;

/** `true` for the server's answer to a command it does not know (Redis before 7: no SSUBSCRIBE). */
function isUnknownCommand(error: unknown): boolean {
  return error instanceof Error && /unknown command/i.test(error.message);
}

/** One subscriber connection: a duplicate of the store's client, in subscriber mode. */
class SubscriberConnection {
  readonly client: RedisClient;
  /** Sharded pub/sub (`SSUBSCRIBE`) until the server says it does not know it. */
  private sharded = true;
  private readyOnce = false;

  constructor(
    source: RedisClient,
    private readonly dispatch: (channel: string) => void,
    private readonly reconnected: () => void,
  ) {
    // Offline queue on: a subscribe made while connecting waits for the connection instead of failing.
    this.client =
      source instanceof Cluster
        ? // One subscriber per master, each holding the sharded channels of its slots (ioredis option shardedSubscribers; 5.11 tested).
          source.duplicate([], { shardedSubscribers: true, enableOfflineQueue: true, lazyConnect: false })
        : source.duplicate({ enableOfflineQueue: true, lazyConnect: false, autoResubscribe: true });
    // Connection trouble is reported by the watch's own reads; a notification lost meanwhile is
    // covered by the watch's poll. Without a listener ioredis would print the error.
    this.client.on('error', () => undefined);
    this.client.on('smessage', (channel: string) => this.dispatch(channel));
    this.client.on('message', (channel: string) => this.dispatch(channel));
    const ready = (): void => {
      if (this.readyOnce) this.reconnected();
      this.readyOnce = true;
    };
    this.client.on(source instanceof Cluster ? 'subscribersReady' : 'ready', ready);
  }

  /** Subscribes to `channel`; never rejects (a failure leaves the watch polling). */
  async listen(channel: string): Promise<void> {
    const confirmed = this.subscribeTo(channel).catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, CONFIRM_WAIT_MS)));
    await Promise.race([confirmed, waited]);
    clearTimeout(timer);
  }

  /** Unsubscribes from `channel`; never rejects. */
  async unlisten(channel: string): Promise<void> {
    await (this.sharded ? this.client.sunsubscribe(channel) : this.client.unsubscribe(channel)).catch(() => undefined);
  }

  /** Drops the connection at once: nothing is left to flush on a subscriber. */
  close(): void {
    this.client.disconnect();
  }

  private async subscribeTo(channel: string): Promise<void> {
    if (this.sharded) {
      try {
        await this.client.ssubscribe(channel);
        return;
      } catch (error) {
        if (!isUnknownCommand(error)) throw error;
        // Before Redis 7 the scripts fall back to PUBLISH, and so does this side.
        this.sharded = false;
      }
    }
    await this.client.subscribe(channel);
  }
}

/**
 * The driver's `subscribe`: every write script publishes an empty notification on the
 * session's channel (`KeySpace.channel`); here ONE subscriber connection per store (created on
 * the first subscribe, closed when the last subscription stops or the store closes) listens to
 * the channels of every watched session and calls their listeners. Nothing thrown here reaches
 * a caller: a notification is a hint, and the watch re-reads on a poll anyway.
 */
export class SessionSubscriptions {
  /** Listeners by channel. */
  private readonly channels = new Map<string, Set<() => void>>();
  /** The confirmation of each channel's subscription, so a second watcher of it waits as the first did. */
  private readonly confirmations = new Map<string, Promise<void>>();
  private connection: SubscriberConnection | undefined;
  private closed = false;

  constructor(
    private readonly client: RedisClient,
    private readonly keys: KeySpace,
  ) {}

  /** Calls `listener` after each write to the session; resolves to a function that stops. */
  async subscribe(ref: SessionRef, listener: () => void): Promise<() => Promise<void>> {
    if (this.closed) return async () => undefined;
    const channel = this.keys.channel(ref.userId, ref.sessionId);
    // A wrapper per call: the same function passed twice is two subscriptions, stopped one by one.
    const entry = (): void => listener();
    let listeners = this.channels.get(channel);
    const connection = this.connect();
    if (!listeners) {
      listeners = new Set();
      this.channels.set(channel, listeners);
      this.confirmations.set(channel, connection.listen(channel));
    }
    listeners.add(entry);
    await this.confirmations.get(channel);
    let stopped = false;
    return async () => {
      if (stopped) return;
      stopped = true;
      await this.unsubscribe(channel, entry);
    };
  }

  /** Stops every subscription and closes the subscriber connection. */
  close(): void {
    this.closed = true;
    this.channels.clear();
    this.confirmations.clear();
    this.disconnect();
  }

  private async unsubscribe(channel: string, entry: () => void): Promise<void> {
    const listeners = this.channels.get(channel);
    if (!listeners?.delete(entry) || listeners.size > 0) return;
    this.channels.delete(channel);
    this.confirmations.delete(channel);
    if (this.channels.size === 0) return this.disconnect();
    await this.connection?.unlisten(channel);
  }

  private connect(): SubscriberConnection {
    if (this.connection && this.connection.client.status !== 'end') return this.connection;
    // None yet, or the last one gave up reconnecting: a new one, listening to every channel watched.
    const connection = new SubscriberConnection(
      this.client,
      (channel) => this.dispatch(channel),
      () => this.reconnected(),
    );
    this.connection = connection;
    for (const channel of this.channels.keys()) this.confirmations.set(channel, connection.listen(channel));
    return connection;
  }

  /**
   * The connection came back: the notifications published meanwhile are gone, and a subscribe
   * that failed during the outage never took. Listen again to every channel (a repeated
   * subscribe is a no-op on the server) and wake every watcher so it re-reads now.
   */
  private reconnected(): void {
    const connection = this.connection;
    if (connection) for (const channel of this.channels.keys()) void connection.listen(channel);
    this.wakeAll();
  }

  private disconnect(): void {
    this.connection?.close();
    this.connection = undefined;
  }

  private dispatch(channel: string): void {
    const listeners = this.channels.get(channel);
    if (listeners) for (const listener of [...listeners]) call(listener);
  }

  private wakeAll(): void {
    for (const listeners of this.channels.values()) for (const listener of [...listeners]) call(listener);
  }
}

/** Calls a listener; what it throws is its own business and must not stop the others. */
function call(listener: () => void): void {
  try {
    listener();
  } catch {
    // A listener's failure is not the subscriber's: the other watchers still get theirs.
  }
}
