import { storeErrors } from '../errors.js';
import type { SessionStore } from '../store.js';
import type { JsonObject } from '../types.js';
import { readSessions } from './read-store.js';
import { SessionWriter } from './session-writer.js';
import type { ReadSessionsOptions, TransferResult, WriteSessionsOptions } from './types.js';

/** Options of {@link copySessions}: what to read from the source and how to write to the target. */
export interface CopySessionsOptions extends Omit<ReadSessionsOptions, 'onProgress'>, WriteSessionsOptions {}

/**
 * Copies sessions from one store to another (any two backends), keeping ids, seqs, timestamps
 * and metadata: the export → import stream without the JSON text in between. Memory stays at
 * one page. Each session's message count is checked in the target once it is written
 * (`verify`, on by default); a difference is `CONFLICT`. Interrupted? Re-run with
 * `onExisting: "resume"`: sessions already there get only the messages they lack.
 *
 * @example
 * const { sessions, messages } = await copySessions(redisStore, postgresStore, { onExisting: 'resume' });
 */
export async function copySessions<M extends JsonObject>(
  from: SessionStore<M>,
  to: SessionStore<M>,
  options: CopySessionsOptions = {},
): Promise<TransferResult> {
  const writer = new SessionWriter(to, options, storeErrors('copy'));
  // Progress is the writer's (what reached the target), so the read side reports none.
  for await (const item of readSessions(from, { userIds: options.userIds, pageSize: options.pageSize })) {
    if (item.kind === 'session') await writer.session(item.userId, item.snapshot);
    else await writer.messages(item.messages);
  }
  return writer.finish();
}
