import { utf8Length, type StoreErrors } from '@sessions/core';
import { ITEM_MAX_BYTES, SESSION_ITEM_RESERVE_BYTES, TRANSACTION_MAX_BYTES } from '../limits.js';
import { messageItemOverhead } from '../marshal.js';

/**
 * Checks, before anything is written, that a batch fits one DynamoDB transaction: at most
 * `maxCount` messages, each message item within the 400 KB item limit, all of them within
 * the 4 MB transaction limit.
 */
export function checkBatch(errors: StoreErrors, userId: string, sessionId: string, encoded: string[], maxCount: number, call: string): void {
  if (encoded.length > maxCount) {
    throw errors.invalid(
      `${call} writes at most ${maxCount} messages atomically on DynamoDB (a transaction holds ${maxCount + (call === 'append' ? 2 : 1)} actions); got ${encoded.length}: split the batch into several calls`,
    );
  }
  const overhead = messageItemOverhead(userId, sessionId);
  let total = SESSION_ITEM_RESERVE_BYTES;
  for (const [i, text] of encoded.entries()) {
    const size = utf8Length(text) + overhead;
    if (size > ITEM_MAX_BYTES) {
      throw errors.tooLarge(`message ${i} would make a ${size}-byte item; DynamoDB items hold at most ${ITEM_MAX_BYTES} bytes (400 KB): lower maxMessageBytes or split the message`);
    }
    total += size;
  }
  if (total > TRANSACTION_MAX_BYTES) {
    throw errors.tooLarge(`the batch would make a ${total}-byte transaction; a DynamoDB transaction holds at most ${TRANSACTION_MAX_BYTES} bytes (4 MB): append fewer or smaller messages per call`);
  }
}
