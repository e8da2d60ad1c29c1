import type { ReadRequest, StoredEntry } from '@sessions/core';
import type { DriverContext } from './context.js';
import { readSessionAndEntries } from './read-range.js';

/**
 * `read`: the session item (for its generation, visible range and expiry) and one `Query` of the
 * range, sent at once when the driver remembers the session's generation: the last 20 messages
 * of a session of any length cost one round trip.
 */
export async function read(ctx: DriverContext, request: ReadRequest): Promise<StoredEntry[]> {
  const found = await readSessionAndEntries(ctx, request, request);
  return found?.entries ?? [];
}
