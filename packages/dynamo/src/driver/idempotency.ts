import { idempotencySk, userPk } from '../keys.js';
import { n, s } from '../marshal.js';
import { names } from './expressions.js';
import type { TableClient, TransactAction } from './table-client.js';

/** Where a session's idempotency item lives: its user, session and generation (a new incarnation starts a new key space). */
export interface IdempotencyScope {
  userId: string;
  sessionId: string;
  gen: string;
}

/** What an idempotency key recorded: the seqs of the write it was applied with (and, for a replaceTail, how many messages it removed). */
export interface AppliedWrite {
  firstSeq: number;
  lastSeq: number;
  removed: number;
}

/** The result a key recorded in this incarnation of the session, or `null` (one strongly consistent `GetItem`). */
export async function readIdempotency(table: TableClient, scope: IdempotencyScope, key: string): Promise<AppliedWrite | null> {
  const item = await table.getItem({ PK: s(userPk(scope.userId)), SK: s(idempotencySk(scope.sessionId, scope.gen, key)) });
  if (!item) return null;
  return { firstSeq: Number(item['firstSeq']?.N ?? 0), lastSeq: Number(item['lastSeq']?.N ?? 0), removed: Number(item['removed']?.N ?? 0) };
}

/**
 * The transaction action recording `key` with the write's seqs, only if the key is new: append
 * and replaceTail share this one key space, so a key applied by either is a duplicate for both.
 */
export function idempotencyPut(scope: IdempotencyScope, key: string, applied: AppliedWrite): TransactAction {
  return {
    Put: {
      Item: {
        PK: s(userPk(scope.userId)),
        SK: s(idempotencySk(scope.sessionId, scope.gen, key)),
        type: s('idempotency'),
        firstSeq: n(applied.firstSeq),
        lastSeq: n(applied.lastSeq),
        ...(applied.removed > 0 ? { removed: n(applied.removed) } : {}),
      },
      ConditionExpression: 'attribute_not_exists(#PK)',
      ExpressionAttributeNames: names('PK'),
    },
  };
}
