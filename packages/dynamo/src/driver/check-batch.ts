import { utf8Length } from '@sessions/core';
import { ITEM_MAX_BYTES, SESSION_ITEM_RESERVE_BYTES, TRANSACTION_MAX_BYTES } from '../limits.js';
import { messageItemOverhead } from '../marshal.js';
import { DynamoLimitError } from './errors.js';

/** What {@link checkBatch} checks. */
export interface BatchCheck {
  userId: string;
  sessionId: string;
  /** The texts the transaction writes. */
  texts: string[];
  /** How many messages the call may write in one transaction. */
  maxCount: number;
  /** How many actions the transaction holds besides the message writes (named in the message). */
  otherActions: number;
  /** The call, for the message: `append`, `replaceTail`, ... */
  call: string;
}

/**
 * Checks, before anything is written, that a batch fits one DynamoDB transaction: at most
 * `maxCount` messages (`INVALID_ARGUMENT`, as the conformance suite expects of a backend with a
 * batch cap), each message item within the 400 KB item limit and all of them within the 4 MB
 * transaction limit (`TOO_LARGE`).
 */
export function checkBatch({ userId, sessionId, texts, maxCount, otherActions, call }: BatchCheck): void {
  if (texts.length > maxCount) {
    throw new DynamoLimitError(
      'INVALID_ARGUMENT',
      `${call} writes at most ${maxCount} messages atomically on DynamoDB (a transaction holds 100 actions, ${otherActions} of them for the session); got ${texts.length}: split the batch into several calls`,
    );
  }
  const overhead = messageItemOverhead(userId, sessionId);
  let total = SESSION_ITEM_RESERVE_BYTES;
  for (const [i, text] of texts.entries()) {
    const size = utf8Length(text) + overhead;
    if (size > ITEM_MAX_BYTES) {
      throw new DynamoLimitError('TOO_LARGE', `message ${i} would make a ${size}-byte item; DynamoDB items hold at most ${ITEM_MAX_BYTES} bytes (400 KB): lower maxMessageBytes or split the message`);
    }
    total += size;
  }
  if (total > TRANSACTION_MAX_BYTES) {
    throw new DynamoLimitError('TOO_LARGE', `the batch would make a ${total}-byte transaction; a DynamoDB transaction holds at most ${TRANSACTION_MAX_BYTES} bytes (4 MB): write fewer or smaller messages per call`);
  }
}
