import type { SessionRef } from '@sessions/core';
import { storageKey } from './ids.js';
import { KnownSessions } from './known-sessions.js';
import { sessionPayload } from './notify.js';
import type { Row, SqlClient } from './sql-client.js';
import type { Statement, Statements } from './statement.js';

/** Runs statements with their parameter objects: on the client, or inside one transaction. */
export interface Runner {
  run<P, R extends Row>(statement: Statement<P, R>, params: P): Promise<R[]>;
}

/** What every operation of the driver works with: the client and the compiled statements of its schema. */
export class DriverContext implements Runner {
  /** Sessions recently appended to through this driver (a hint for append, see `known-sessions.ts`). */
  readonly knownSessions = new KnownSessions();

  constructor(
    private readonly client: SqlClient,
    private readonly statements: Statements,
  ) {}

  run<P, R extends Row>(statement: Statement<P, R>, params: P): Promise<R[]> {
    return this.statements.run(this.client, statement, params);
  }

  /** Runs `work` in one READ COMMITTED transaction: every statement of it takes a fresh snapshot. */
  transaction<T>(work: (tx: Runner) => Promise<T>): Promise<T> {
    return this.client.transaction((tx) => work({ run: (statement, params) => this.statements.run(tx, statement, params) }));
  }
}

/** The key columns' values for a session: its ids, or their storage keys when too long (see `ids.ts`). */
export interface SessionKey {
  user: string;
  session: string;
}

/** Parameters of a write: the payload of the change notification it sends (see `notify.ts`). */
export interface Notifies {
  payload: string;
}

/** The {@link SessionKey} of a request's session, with the payload of its notifications (writes send it). */
export function sessionKey(ref: SessionRef): SessionKey & Notifies {
  const user = storageKey(ref.userId);
  const session = storageKey(ref.sessionId);
  return { user, session, payload: sessionPayload(user, session) };
}

/** How many times an operation re-runs after losing a race before it gives up (then the store reports `UNAVAILABLE`). */
export const MAX_ATTEMPTS = 20;
