/** How many replicas must confirm a write, and how long to wait for them (`WAIT replicas timeoutMs`). */
export interface ReplicaWait {
  readonly replicas: number;
  readonly timeoutMs: number;
}

/**
 * A write the master applied but fewer replicas than asked confirmed in time (or `WAIT` itself
 * failed). The store reports it as `UNAVAILABLE` (retryable): the write may or may not survive
 * a failover, and only a retry with the same idempotency key settles it.
 */
export class ReplicationUnconfirmedError extends Error {
  override readonly name = 'ReplicationUnconfirmedError';

  constructor(
    /** The replicas asked for. */
    readonly wanted: number,
    /** The replicas that confirmed, or `undefined` when `WAIT` failed. */
    readonly confirmed: number | undefined,
    options?: ErrorOptions,
  ) {
    super(
      `${confirmed === undefined ? 'WAIT failed' : `only ${confirmed} of ${wanted} replicas confirmed the write in time`}: ` +
        'the master applied it, and it may or may not survive a failover (the outcome is unknown); ' +
        'retry with the same idempotencyKey (it is then applied once whatever happened), or re-read before writing again',
      options,
    );
  }
}

/** Throws {@link ReplicationUnconfirmedError} unless `reply` (WAIT's reply or its error) confirms `wait.replicas`. */
export function checkReplicas(wait: ReplicaWait, reply: unknown): void {
  if (reply instanceof Error) throw new ReplicationUnconfirmedError(wait.replicas, undefined, { cause: reply });
  const confirmed = Number(reply);
  if (!(confirmed >= wait.replicas)) throw new ReplicationUnconfirmedError(wait.replicas, Number.isFinite(confirmed) ? confirmed : undefined);
}

/** The option checked: a message for what is wrong with it, or `undefined`. */
export function invalidReplicaWait(wait: unknown): string | undefined {
  if (wait === undefined) return undefined;
  const w = wait as Partial<ReplicaWait> | null;
  if (typeof w !== 'object' || w === null) return 'waitForReplicas must be { replicas, timeoutMs }';
  if (!Number.isInteger(w.replicas) || (w.replicas as number) < 1) return 'waitForReplicas.replicas must be an integer of at least 1';
  if (!Number.isInteger(w.timeoutMs) || (w.timeoutMs as number) < 1) {
    return 'waitForReplicas.timeoutMs must be a positive integer (WAIT with 0 would block forever)';
  }
  return undefined;
}
