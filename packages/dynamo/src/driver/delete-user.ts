import type { At } from '@sessions/core';
import { userPk } from '../keys.js';
import { s } from '../marshal.js';
import type { DriverContext } from './context.js';
import { keyOf } from './session-items.js';

/**
 * `deleteUser`: one pass over the user's partition (`Query`, then `BatchWriteItem` deletes).
 * Every session item is deleted before any of its messages (a session item sorts before its own
 * items, and each page deletes its session items first), so no reader ever sees a half-deleted
 * session. Returns how many live sessions were deleted.
 */
export async function deleteUser(ctx: DriverContext, request: { userId: string } & At): Promise<number> {
  let count = 0;
  const pages = ctx.table.queryAll({
    KeyConditionExpression: '#PK = :pk',
    ExpressionAttributeNames: { '#PK': 'PK', '#SK': 'SK', '#type': 'type', '#expiresAt': 'expiresAt', '#userId': 'userId', '#sessionId': 'sessionId' },
    ExpressionAttributeValues: { ':pk': s(userPk(request.userId)) },
    ProjectionExpression: '#PK, #SK, #type, #expiresAt, #userId, #sessionId',
    ConsistentRead: true,
  });
  for await (const items of pages) {
    const sessions = items.filter((item) => item['type']?.S === 'session');
    const others = items.filter((item) => item['type']?.S !== 'session');
    count += sessions.filter((item) => {
      const expiresAt = item['expiresAt']?.N;
      return expiresAt === undefined || Number(expiresAt) > request.now;
    }).length;
    for (const item of sessions) ctx.cache.forget(item['userId']?.S ?? '', item['sessionId']?.S ?? '');
    await ctx.table.deleteKeys(sessions.map(keyOf));
    await ctx.table.deleteKeys(others.map(keyOf));
  }
  return count;
}
