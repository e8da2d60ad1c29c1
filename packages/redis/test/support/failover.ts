import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisSessionStore } from '@sessions/redis';

/** What one group of writers saw through a failover, and what the cluster held afterwards. */
export interface FailoverFigures {
  /** Appends the store reported as done. */
  acknowledged: number;
  /** Distinct writes found in the sessions afterwards. */
  stored: number;
  /** Acknowledged writes not found afterwards. */
  lost: number;
  /** Writes found at more than one seq. */
  doubled: number;
  /** Acknowledged seqs that now hold another write. */
  seqsReused: number;
  /** Calls that failed (each was retried with its idempotency key). */
  failedCalls: number;
  /** Writes still unacknowledged when the load stopped (outcome unknown to the writer). */
  unsettled: number;
  /** The longest time, in ms, during which no writer got an acknowledgement. */
  unavailableMs: number;
}

interface Ack {
  user: string;
  session: string;
  seq: number;
}

/** Four writers appending with idempotency keys, each failed call retried with the same key. */
export class FailoverLoad {
  private readonly acks = new Map<string, Ack>();
  private failedCalls = 0;
  private unsettled = 0;
  private stopping = false;
  private lastAck = Date.now();
  private longestGap = 0;
  private readonly writers: Promise<void>[];

  constructor(
    private readonly store: RedisSessionStore,
    private readonly users: readonly string[],
    private readonly sessions: readonly string[],
    writers = 4,
  ) {
    this.writers = Array.from({ length: writers }, (_, w) => this.writer(w));
  }

  private async writer(w: number): Promise<void> {
    for (let n = 0; !this.stopping; n++) {
      const key = `w${w}-${n}`;
      const user = this.users[n % this.users.length] ?? 'u';
      const session = this.sessions[(n + w) % this.sessions.length] ?? 's';
      const giveUpAt = Date.now() + 15_000;
      for (;;) {
        try {
          const result = await withTimeout(this.store.append(user, session, { role: 'user', content: key }, { idempotencyKey: key }), 5_000);
          this.acks.set(key, { user, session, seq: result.firstSeq });
          const now = Date.now();
          this.longestGap = Math.max(this.longestGap, now - this.lastAck);
          this.lastAck = now;
          break;
        } catch {
          this.failedCalls++;
          if (Date.now() > giveUpAt || this.stopping) {
            this.unsettled++;
            break;
          }
          await sleep(20);
        }
      }
    }
  }

  /** Stops the writers (each finishes its current write) and compares what they were told with what `reader` finds. */
  async finish(reader: RedisSessionStore): Promise<FailoverFigures> {
    // Let in-flight writes settle through their retries before stopping.
    await sleep(200);
    this.stopping = true;
    await Promise.all(this.writers);
    const found = new Map<string, { user: string; session: string; seq: number }[]>();
    const bySeq = new Map<string, string>();
    for (const user of this.users) {
      for (const session of this.sessions) {
        for (const message of await reader.getMessages(user, session)) {
          const key = String(message.message.content);
          const places = found.get(key) ?? [];
          places.push({ user, session, seq: message.seq });
          found.set(key, places);
          bySeq.set(`${user}/${session}/${message.seq}`, key);
        }
      }
    }
    let lost = 0;
    let seqsReused = 0;
    for (const [key, ack] of this.acks) {
      if (!found.has(key)) lost++;
      const now = bySeq.get(`${ack.user}/${ack.session}/${ack.seq}`);
      if (now !== undefined && now !== key) seqsReused++;
    }
    return {
      acknowledged: this.acks.size,
      stored: found.size,
      lost,
      doubled: [...found.values()].filter((places) => places.length > 1).length,
      seqsReused,
      failedCalls: this.failedCalls,
      unsettled: this.unsettled,
      unavailableMs: this.longestGap,
    };
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no reply in ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
