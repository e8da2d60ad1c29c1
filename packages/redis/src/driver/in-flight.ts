import { Redis } from 'ioredis';
import type { RedisClient } from './client.js';

/** The error of a call whose connection dropped after the request was sent and before its reply. */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
}

const trackers = new WeakMap<RedisClient, InFlightWrites>();

interface Pending {
  /** The request is on the wire (or will be, first thing, on the reconnected socket). */
  sent: boolean;
  reject(error: Error): void;
}

/**
 * Settles the calls a dropped connection leaves without a reply. A single-server client that
 * does not resend unfulfilled commands (the store requires it, so a write is never applied
 * twice) drops them on reconnect without settling their promises (ioredis 5, fixed upstream
 * only in 6): the call would wait forever. Here every call sent before a `close` event fails
 * at once with {@link ConnectionLostError}: its outcome is unknown. Calls still queued while
 * the client reconnects were never sent: they stay and go out once it is ready. A cluster
 * client needs none of this: its node connections do not reconnect, they reject what they hold.
 */
export class InFlightWrites {
  private readonly pending = new Set<Pending>();
  private readonly watched: Redis | undefined;

  /** The tracker of `client`: one per client, so stores built over a shared client add no listeners. */
  static of(client: RedisClient): InFlightWrites {
    let tracker = trackers.get(client);
    if (!tracker) {
      tracker = new InFlightWrites(client);
      trackers.set(client, tracker);
    }
    return tracker;
  }

  private constructor(client: RedisClient) {
    if (!(client instanceof Redis)) return;
    this.watched = client;
    // The offline queue is flushed right after 'ready': from then on those requests are sent.
    client.on('ready', () => {
      for (const call of this.pending) call.sent = true;
    });
    client.on('close', () => {
      for (const call of this.pending) {
        if (!call.sent) continue;
        this.pending.delete(call);
        call.reject(
          new ConnectionLostError(
            'the connection dropped after the request was sent and before its reply: a write may or may not have been applied (the outcome is unknown); retrying with the same idempotencyKey is safe, retrying a write without one may apply it twice',
          ),
        );
      }
    });
  }

  /** `request`, or a {@link ConnectionLostError} if its connection drops first. Call it in the tick the request was issued. */
  track<T>(request: Promise<T>): Promise<T> {
    const client = this.watched;
    if (!client) return request;
    return new Promise<T>((resolve, reject) => {
      const call: Pending = { sent: client.status === 'ready', reject };
      this.pending.add(call);
      request.then(
        (value) => {
          this.pending.delete(call);
          resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(call);
          reject(error);
        },
      );
    });
  }
}
