import type { CreateRequest, Outcome, SessionInfo } from '@sessions/core';
import { newGeneration } from '../keys.js';
import { n, sessionItem, toSessionInfo, type SessionRecord } from '../marshal.js';
import type { DriverContext } from './context.js';
import { conditionFailed } from './errors.js';
import { ABSENT_OR_EXPIRED, names } from './expressions.js';
import type { TableClient } from './table-client.js';
import { freshRecord } from './session-writes.js';

/**
 * Writes a new session item if there is none or the one there has expired (one conditional
 * `PutItem`). Returns `false` when a live session already holds the key.
 */
export async function putNewRecord(table: TableClient, record: SessionRecord, now: number): Promise<boolean> {
  try {
    await table.put({
      Item: sessionItem(record),
      ConditionExpression: ABSENT_OR_EXPIRED,
      ExpressionAttributeNames: names('PK', 'expiresAt'),
      ExpressionAttributeValues: { ':now': n(now) },
    });
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

/** `create`: one conditional `PutItem` of a new session item (a new generation). */
export async function create(ctx: DriverContext, request: CreateRequest): Promise<Outcome<SessionInfo, 'already_exists'>> {
  const record = freshRecord(request.userId, request.sessionId, newGeneration(), request.now, request.ttlMs, request.metadata);
  if (!(await putNewRecord(ctx.table, record, request.now))) return { failure: 'already_exists' };
  ctx.cache.remember(record);
  return toSessionInfo(record);
}
