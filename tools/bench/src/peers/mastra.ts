import { randomUUID } from 'node:crypto';
import type { MastraDBMessage } from '@mastra/core/agent/message-list';
import type { MastraCompositeStore } from '@mastra/core/storage';
import { kilobyteMessage } from '../measure.js';
import type { PeerSide } from './peer-rows.js';

/** What every Mastra store is asked per call (the same memory-domain calls on every backend). */
export const MASTRA_CALLS = 'Calls: saveThread once per thread, saveMessages([message]) per append, listMessages (last 20, createdAt DESC, includeTotal: false) per read.';

/** What every Mastra store does per call, at length, for the document. */
export const MASTRA_PER_CALL =
  'Mastra storage (its memory domain, as its Memory class and agents use it): a thread is saved once per conversation (saveThread, counted in the first append of a session), each append is saveMessages([message]) (the message row, and the thread\'s updatedAt), a read is listMessages({ threadId, resourceId, perPage: 20, orderBy: createdAt DESC, includeTotal: false }) (what an agent\'s last-N recall sends), reversed to oldest first.';

/** The benchmarks' 1 KB message as a Mastra DB message (text part, same role, `n` in metadata). */
export function kilobyteMastraMessage(i: number, threadId: string, resourceId: string, idPrefix = ''): MastraDBMessage {
  const { role, content, n } = kilobyteMessage(i);
  return {
    id: `${idPrefix}${randomUUID()}`,
    threadId,
    resourceId,
    role: role === 'user' ? 'user' : 'assistant',
    createdAt: new Date(),
    content: { format: 2, parts: [{ type: 'text', text: content }], metadata: { n } },
  };
}

/** Options of {@link mastraSide}. */
export interface MastraSideOptions {
  /** Messages per saveMessages call when filling a session. @default 1,000 */
  fillBatch?: number;
  maxLength?: PeerSide['maxLength'];
  perCall?: string;
  /** Put before every thread and message id, so a store without key prefixes can be cleaned up by it. @default '' */
  idPrefix?: string;
}

/**
 * A Mastra storage (PostgresStore, RedisStore, LibSQLStore, DynamoDBStore, InMemoryStore) as a
 * peer: each session of the bench is a thread of `resourceId`, saved on first use, as an app
 * creates a thread when a conversation starts. `storage.init()` must have run.
 */
export async function mastraSide(name: string, storage: MastraCompositeStore, resourceId: string, options: MastraSideOptions = {}): Promise<PeerSide> {
  const memory = await storage.getStore('memory');
  if (!memory) throw new Error(`${name} has no memory domain`);
  const idPrefix = options.idPrefix ?? '';
  const threads = new Map<string, Promise<unknown>>();
  const threadId = (session: string) => `${idPrefix}${session}`;
  const thread = (session: string): Promise<unknown> => {
    let saved = threads.get(session);
    if (!saved) {
      const now = new Date();
      saved = memory.saveThread({ thread: { id: threadId(session), resourceId, title: session, createdAt: now, updatedAt: now, metadata: {} } });
      threads.set(session, saved);
    }
    return saved;
  };
  const fillBatch = options.fillBatch ?? 1_000;
  return {
    name,
    perCall: options.perCall ?? MASTRA_PER_CALL,
    ...(options.maxLength ? { maxLength: options.maxLength } : {}),
    async append(session, i) {
      await thread(session);
      return memory.saveMessages({ messages: [kilobyteMastraMessage(i, threadId(session), resourceId, idPrefix)] });
    },
    async readNewest20(session) {
      const { messages } = await memory.listMessages({ threadId: threadId(session), resourceId, perPage: 20, page: 0, orderBy: { field: 'createdAt', direction: 'DESC' }, includeTotal: false });
      return messages.reverse();
    },
    async fill(session, length) {
      await thread(session);
      // Distinct, increasing createdAt: messages saved in one call share a clock reading otherwise.
      const start = Date.now() - length;
      for (let done = 0; done < length; done += fillBatch) {
        const messages = Array.from({ length: Math.min(fillBatch, length - done) }, (_, k) => ({
          ...kilobyteMastraMessage(done + k, threadId(session), resourceId, idPrefix),
          createdAt: new Date(start + done + k),
        }));
        await memory.saveMessages({ messages });
      }
    },
  };
}
