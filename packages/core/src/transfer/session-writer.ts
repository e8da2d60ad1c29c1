import { isSessionStoreError, storeErrors, type StoreErrors } from '../errors.js';
import type { SessionStore } from '../store.js';
import type { JsonObject, SessionSnapshot, StoredMessage } from '../types.js';
import { alreadyExists, resumeConflict, resumeRefusal } from './existing-session.js';
import type { OnExisting, TransferProgress, TransferResult, WriteSessionsOptions } from './types.js';

/** Default `batchSize` of imports and copies. */
export const DEFAULT_RESTORE_BATCH_SIZE = 500;

interface CurrentSession {
  userId: string;
  id: string;
  /** `skip`: drop its messages; `write`: restore those above `resumeAfter`. */
  mode: 'skip' | 'write';
  resumeAfter: number;
  /** Messages the source had for it, written or not. */
  sourceCount: number;
}

/**
 * Writes a stream of sessions and their messages into a store with `restoreSession` and
 * batched `restoreMessages`: the shared back end of import and copy. Call `session()` for each
 * session, `messages()` for its messages (oldest first), then `finish()`.
 */
export class SessionWriter<M extends JsonObject> {
  private readonly result: TransferResult = { sessions: 0, messages: 0, skippedSessions: 0, skippedMessages: 0 };
  private readonly onExisting: OnExisting;
  private readonly batchSize: number;
  private readonly verify: boolean;
  private current: CurrentSession | undefined;
  private pending: StoredMessage<M>[] = [];

  constructor(
    private readonly target: SessionStore<M>,
    private readonly options: WriteSessionsOptions = {},
    private readonly errors: StoreErrors = storeErrors('import'),
  ) {
    this.onExisting = options.onExisting ?? 'error';
    if (!['skip', 'error', 'resume'].includes(this.onExisting)) {
      throw errors.invalid(`onExisting must be "skip", "error" or "resume", got ${JSON.stringify(this.onExisting)}`);
    }
    this.batchSize = options.batchSize ?? DEFAULT_RESTORE_BATCH_SIZE;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1) {
      throw errors.invalid(`batchSize must be a positive integer, got ${String(options.batchSize)}`);
    }
    this.verify = options.verify ?? true;
  }

  /** Finishes the previous session and starts writing this one. */
  async session(userId: string, snapshot: SessionSnapshot): Promise<void> {
    await this.endSession();
    const current: CurrentSession = { userId, id: snapshot.id, mode: 'write', resumeAfter: 0, sourceCount: 0 };
    this.current = current;
    if (snapshot.expiresAt !== null && snapshot.expiresAt.getTime() <= Date.now()) {
      current.mode = 'skip'; // expired since it was read: no store would show it
      this.result.skippedSessions++;
      return;
    }
    try {
      await this.target.restoreSession(userId, snapshot);
    } catch (error) {
      if (!isSessionStoreError(error, 'ALREADY_EXISTS')) throw this.context(error, current);
      if (this.onExisting === 'error') throw alreadyExists(this.errors, userId, snapshot.id);
      if (this.onExisting === 'skip') {
        current.mode = 'skip';
        this.result.skippedSessions++;
        return;
      }
      await this.resume(current, snapshot);
    }
    this.result.sessions++;
    this.report();
  }

  /**
   * Continues a session the target already holds, after the highest seq it holds; refused
   * (`CONFLICT`, nothing written) unless it is an earlier copy of the same session.
   */
  private async resume(current: CurrentSession, snapshot: SessionSnapshot): Promise<void> {
    let why: string | null;
    try {
      const held = await this.target.getSession(current.userId, current.id, { limit: 0 });
      why = held ? resumeRefusal(held, snapshot) : null;
      const [newest] = await this.target.getMessages(current.userId, current.id, { limit: 1 });
      current.resumeAfter = newest?.seq ?? 0;
    } catch (error) {
      throw this.context(error, current);
    }
    if (why) throw resumeConflict(this.errors, current.userId, current.id, why);
  }

  /** Adds messages of the current session, oldest first; writes a batch whenever one is full. */
  async messages(messages: Iterable<StoredMessage<M>>): Promise<void> {
    const current = this.current;
    const skippedBefore = this.result.skippedMessages;
    for (const message of messages) {
      if (!current) throw this.errors.invalid('messages came before any session; each session must precede its messages');
      current.sourceCount++;
      if (current.mode === 'skip' || message.seq <= current.resumeAfter) {
        this.result.skippedMessages++;
        continue;
      }
      this.pending.push(message);
      if (this.pending.length >= this.batchSize) await this.flush();
    }
    // Messages passed over count as progress too, or a resumed transfer would never reach its total.
    if (this.result.skippedMessages !== skippedBefore) this.report();
  }

  /** Writes what is pending, verifies the last session, and returns the totals. */
  async finish(): Promise<TransferResult> {
    await this.endSession();
    this.current = undefined;
    return { ...this.result };
  }

  /** The totals so far. */
  get totals(): TransferResult {
    return { ...this.result };
  }

  private async endSession(): Promise<void> {
    const current = this.current;
    if (!current) return;
    await this.flush();
    if (!this.verify || current.mode === 'skip') return;
    let held: number | undefined;
    try {
      held = (await this.target.getSession(current.userId, current.id, { limit: 0 }))?.messageCount;
    } catch (error) {
      throw this.context(error, current);
    }
    if (held !== current.sourceCount) {
      throw this.errors.make(
        'CONFLICT',
        `session ${JSON.stringify(current.id)} of user ${JSON.stringify(current.userId)} holds ${held ?? 'no'} messages in the target but the source had ${current.sourceCount}; was either side written during the transfer? Re-run with onExisting: "resume" once both are quiet`,
      );
    }
  }

  private async flush(): Promise<void> {
    const current = this.current;
    if (!current || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      await this.target.restoreMessages(current.userId, current.id, batch);
    } catch (error) {
      throw this.context(error, current);
    }
    this.result.messages += batch.length;
    this.report();
  }

  private report(): void {
    const progress: TransferProgress = { sessions: this.result.sessions, messages: this.result.messages, skippedMessages: this.result.skippedMessages };
    this.options.onProgress?.(progress);
  }

  /** Says which session failed, keeping the store's code and error as the cause. */
  private context(error: unknown, current: CurrentSession): Error {
    const where = `session ${JSON.stringify(current.id)} of user ${JSON.stringify(current.userId)}`;
    if (isSessionStoreError(error)) return this.errors.make(error.code, `writing ${where} failed: ${error.message}`, error);
    return this.errors.unavailable(`writing ${where} failed (see cause)`, error);
  }
}
