import type { GetRequest, SessionWithEntries } from '@sessions/core';
import { toSessionInfo } from '../marshal.js';
import type { DriverContext } from './context.js';
import { readSessionAndEntries } from './read-range.js';

/**
 * `get`: the session item (strongly consistent) and its newest `limit` entries: one `GetItem`
 * and one `Query`, sent at once when the driver remembers the session's generation.
 */
export async function get(ctx: DriverContext, request: GetRequest): Promise<SessionWithEntries | null> {
  const read = await readSessionAndEntries(ctx, request, { limit: request.limit, from: 'end' });
  return read && { session: toSessionInfo(read.record), entries: read.entries };
}
