import type { GetOrCreateRequest, SessionWithEntries } from '@sessions/core';
import { createArgv, createScript } from './create.js';
import type { RedisContext } from './context.js';
import { sessionKeyList } from './keys.js';
import { decodeEntries, decodeRecord, newSessionInfo } from './records.js';
import { isRefusal } from './script.js';

/** `getOrCreate`: the create script in its 'getOrCreate' mode, one EVALSHA. */
export async function getOrCreate(ctx: RedisContext, request: GetOrCreateRequest): Promise<SessionWithEntries & { created: boolean }> {
  const { userId, sessionId, now } = request;
  const k = ctx.keys.session(userId, sessionId);
  const args = createArgv({ now, encodedId: k.encodedId, mode: 'getOrCreate', ttlMs: request.ttlMs, limit: request.limit, metadata: request.metadata });
  const reply = await ctx.scripts.run<[1] | [0, string[], string[]]>(createScript, sessionKeyList(k), args);
  if (isRefusal(reply)) throw new Error(`the create script refused a getOrCreate (${reply.refused})`);
  if (reply[0] === 1) return { session: newSessionInfo(userId, sessionId, request.metadata, request.ttlMs, now), entries: [], created: true };
  return { session: decodeRecord(userId, sessionId, reply[1]), entries: decodeEntries(reply[2]), created: false };
}
