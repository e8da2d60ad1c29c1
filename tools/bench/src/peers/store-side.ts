import type { JsonObject, SessionStore } from '@sessions/core';
import { kilobyteMessage } from '../measure.js';
import type { ChatHistorySide } from './peer-rows.js';

/**
 * A session store as one side of a store-vs-peer comparison: append of one message,
 * getMessages({ limit: 20 }), and a fill by batches of `fillBatch`. A session is filled once,
 * however many peers it is compared with.
 */
export function storeSide(name: string, store: SessionStore<JsonObject>, user: string, fillBatch: number): ChatHistorySide {
  const filled = new Set<string>();
  return {
    name,
    append: (session, i) => store.append(user, session, kilobyteMessage(i)),
    readNewest20: (session) => store.getMessages(user, session, { limit: 20 }),
    async fill(session, length) {
      if (filled.has(session)) return;
      filled.add(session);
      for (let done = 0; done < length; done += fillBatch) {
        await store.append(user, session, Array.from({ length: Math.min(fillBatch, length - done) }, (_, i) => kilobyteMessage(done + i)));
      }
    },
  };
}
