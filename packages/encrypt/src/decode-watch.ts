import type { CodecContext } from '@sessions/core';

/** What the codec saw of one stored message while a watch was open on its session. */
export interface SeenEntry {
  seq: number;
  /** Older than the message TTL: hidden, never decrypted. */
  expired: boolean;
  /** Readable as an envelope but not in the current format under the current key: rotation rewrites it. */
  stale: boolean;
}

/**
 * A record of what the codec decoded for one session, opened by key rotation and the message
 * purge. They work through the store's public calls, which return plaintext only: the watch is
 * how they learn which stored messages are stale or expired without a second, raw read path.
 */
export interface DecodeWatch {
  entries: SeenEntry[];
  /** Metadata keys whose stored value is stale. */
  staleMetadata: Set<string>;
  /** How many decode calls reached the codec (0 means the store does not use this codec). */
  decodes: number;
}

/** The open watches, by session. */
export class DecodeWatches {
  private readonly open = new Map<string, Set<DecodeWatch>>();

  /** The watches of a session, or `undefined` (the common case: one map lookup per decode). */
  of(context: CodecContext): Set<DecodeWatch> | undefined {
    return this.open.size === 0 ? undefined : this.open.get(key(context));
  }

  /** Runs `work` with a watch open on the session, and closes it afterwards. */
  async with<T>(context: CodecContext, work: (watch: DecodeWatch) => Promise<T>): Promise<T> {
    const watch: DecodeWatch = { entries: [], staleMetadata: new Set(), decodes: 0 };
    const id = key(context);
    let set = this.open.get(id);
    if (!set) this.open.set(id, (set = new Set()));
    set.add(watch);
    try {
      return await work(watch);
    } finally {
      set.delete(watch);
      if (set.size === 0) this.open.delete(id);
    }
  }
}

function key(context: CodecContext): string {
  return JSON.stringify([context.userId, context.sessionId]);
}
