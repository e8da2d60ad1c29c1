import type { InputGuard } from './input-guard.js';
import { isPlainObject } from './json.js';
import type { JsonObject } from './types.js';

/** A {@link SessionSnapshot} after its checks: trimmed id, clean metadata, times in ms. */
export interface CheckedSnapshot {
  id: string;
  metadata: JsonObject;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  lastSeq: number;
}

/** A validated `restoreMessages` batch: parallel arrays, seqs strictly increasing. */
export interface PreparedRestoreBatch<M> {
  seqs: number[];
  /** Each message's `createdAt` in ms. */
  createdAt: number[];
  messages: M[];
  /** Each message's JSON text: what a backend stores. */
  encoded: string[];
  totalBytes: number;
}

/**
 * The checks of `restoreSession` and `restoreMessages`, shared by every backend so an import
 * is accepted or rejected the same way everywhere. Built over the store's {@link InputGuard}.
 */
export class RestoreGuard<M extends JsonObject = JsonObject> {
  constructor(private readonly guard: InputGuard<M>) {}

  /**
   * Checks a snapshot for `restoreSession`. A snapshot that has already expired at `now` is
   * `INVALID_ARGUMENT`: restoring it would create a session no read can ever see.
   */
  snapshot(value: unknown, now: number): CheckedSnapshot {
    const errors = this.guard.errors;
    if (!isPlainObject(value)) throw errors.invalid('snapshot must be an object with id, metadata, createdAt, updatedAt, expiresAt and lastSeq');
    const id = this.guard.sessionId(value['id']);
    const metadata = this.guard.metadata(value['metadata'] ?? {});
    const createdAt = this.time(value['createdAt'], 'snapshot.createdAt');
    const updatedAt = this.time(value['updatedAt'], 'snapshot.updatedAt');
    const expiresAt = value['expiresAt'] === null ? null : this.time(value['expiresAt'], 'snapshot.expiresAt');
    const lastSeq = this.guard.seq(value['lastSeq'], 'snapshot.lastSeq');
    if (lastSeq === undefined) throw errors.invalid('snapshot.lastSeq must be a non-negative integer');
    if (expiresAt !== null && expiresAt <= now) {
      throw errors.invalid(`snapshot of session ${JSON.stringify(id)} expired at ${new Date(expiresAt).toISOString()}; skip it or give it a later expiresAt`);
    }
    return { id, metadata, createdAt, updatedAt, expiresAt, lastSeq };
  }

  /**
   * Checks a `restoreMessages` batch: an array of `{ seq, createdAt, message }` with positive,
   * strictly increasing seqs, valid `Date`s, and messages that pass the same checks as append.
   * An empty array gives an empty batch.
   */
  async batch(value: unknown): Promise<PreparedRestoreBatch<M>> {
    const errors = this.guard.errors;
    if (!Array.isArray(value)) throw errors.invalid('restoreMessages needs an array of { seq, createdAt, message }');
    const seqs: number[] = [];
    const createdAt: number[] = [];
    const messages: M[] = [];
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (!isPlainObject(item)) throw errors.invalid(`restored message ${i} must be an object { seq, createdAt, message }`);
      const seq = item['seq'];
      if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) {
        throw errors.invalid(`restored message ${i} has seq ${String(seq)}; seqs are positive integers`);
      }
      const previous = seqs[seqs.length - 1];
      if (previous !== undefined && seq <= previous) {
        throw errors.invalid(`restored message ${i} has seq ${seq} after seq ${previous}; seqs must be strictly increasing`);
      }
      seqs.push(seq);
      createdAt.push(this.time(item['createdAt'], `restored message ${i} createdAt`));
      messages.push(item['message'] as M);
    }
    if (messages.length === 0) return { seqs, createdAt, messages, encoded: [], totalBytes: 0 };
    const prepared = await this.guard.messages(messages);
    return { seqs, createdAt, messages: prepared.messages, encoded: prepared.encoded, totalBytes: prepared.totalBytes };
  }

  /**
   * Checks that a batch fits the target session: its seqs above every seq the session holds
   * (`highestHeld`, 0 when empty) and at most the session's `lastSeq`.
   */
  bounds(batch: PreparedRestoreBatch<M>, highestHeld: number, lastSeq: number): void {
    const first = batch.seqs[0];
    const last = batch.seqs[batch.seqs.length - 1];
    if (first === undefined || last === undefined) return;
    if (first <= highestHeld) {
      throw this.guard.errors.invalid(`restored seq ${first} is not above seq ${highestHeld}, which the session already holds; restore messages in seq order`);
    }
    if (last > lastSeq) {
      throw this.guard.errors.invalid(`restored seq ${last} is above the session's lastSeq ${lastSeq}; restore the session with a lastSeq of at least ${last}`);
    }
  }

  private time(value: unknown, name: string): number {
    if (!(value instanceof Date) || !Number.isFinite(value.getTime())) {
      throw this.guard.errors.invalid(`${name} must be a valid Date`);
    }
    return value.getTime();
  }
}
