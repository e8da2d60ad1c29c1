import type { At } from '@sessions/core';
import { LIST_INDEX, n } from '../marshal.js';
import type { DriverContext } from './context.js';

/**
 * `listUsers`: a `Scan` of the listing index, which holds session items only (never messages),
 * so it reads a small part of the table; each live session's user once. The index is updated
 * asynchronously on AWS: a user whose first session is a fraction of a second old may be missed.
 */
export async function* listUsers(ctx: DriverContext, request: At): AsyncGenerator<string> {
  const seen = new Set<string>();
  const now = request.now;
  const pages = ctx.table.scanAll({
    IndexName: LIST_INDEX,
    FilterExpression: 'attribute_not_exists(#expiresAt) OR #expiresAt > :now',
    ExpressionAttributeNames: { '#expiresAt': 'expiresAt', '#userId': 'userId' },
    ExpressionAttributeValues: { ':now': n(now) },
    ProjectionExpression: '#userId',
  });
  for await (const items of pages) {
    for (const item of items) {
      const userId = item['userId']?.S;
      if (userId !== undefined && !seen.has(userId)) {
        seen.add(userId);
        yield userId;
      }
    }
  }
}
