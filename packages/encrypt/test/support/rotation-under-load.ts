import type { JsonObject, SessionStore, StoredMessage } from '@sessions/core';
import { expect } from 'vitest';
import { reencryptSession, type EncryptionCodec, type EncryptionOptions } from '../../src/index.js';
import { KEY_A, KEY_B } from '../fixtures.js';

/** Opens a new client (its own connection) over the shared data, with these codec options. */
export type OpenClient = (options: EncryptionOptions) => Promise<{ store: SessionStore; codec: EncryptionCodec }>;

/** Size of the scenario. */
export interface LoadSize {
  seed: number;
  writers: number;
  perWriter: number;
  pops: number;
}

const OLD = { keys: { a: KEY_A }, currentKeyId: 'a' };
const BOTH = { keys: { a: KEY_A, b: KEY_B }, currentKeyId: 'b' };

/**
 * Key rotation while other clients append, pop and clear the same session, each through its own
 * client. The rotation runs again and again until the load ends, so its reads and rewrites
 * interleave with every other kind of write. Then checks: nothing appended is lost, nothing
 * popped or cleared comes back, every message holds what its writer appended at that seq, and a
 * final rotation leaves every message under the new key.
 */
export async function rotationUnderLoad(open: OpenClient, userId: string, sessionId: string, size: LoadSize): Promise<void> {
  const seeder = await open(OLD);
  for (let i = 0; i < size.seed; i += 20) {
    await seeder.store.append(userId, sessionId, Array.from({ length: Math.min(20, size.seed - i) }, (_, j) => ({ writer: 'seed', i: i + j })));
  }
  const rotator = await open(BOTH);
  // Half the writers still run with the old current key, as during a rolling deploy.
  const writers = await Promise.all(Array.from({ length: size.writers }, (_, w) => open(w % 2 === 0 ? OLD : BOTH)));
  const popper = await open(BOTH);
  const clearer = await open(OLD);

  const appended = new Map<number, JsonObject>();
  const popped: StoredMessage[] = [];
  let clearedUpTo = 0;
  let writtenAfterClear = 0;
  let done = false;

  const appends = writers.map(async ({ store }, w) => {
    for (let i = 0; i < size.perWriter; i++) {
      const message = { writer: `w${w}`, i };
      const result = await store.append(userId, sessionId, message);
      appended.set(result.firstSeq, message);
      await pause();
    }
  });
  const pops = (async () => {
    for (let i = 0; i < size.pops; i++) {
      const message = await popper.store.popMessage(userId, sessionId);
      if (message) popped.push(message);
      await pause();
    }
  })();
  const clears = (async () => {
    // Once, a third of the way through the appends.
    while (appended.size < (size.writers * size.perWriter) / 3) await pause();
    const before = await clearer.store.getSession(userId, sessionId, { limit: 0 });
    await clearer.store.clearSession(userId, sessionId);
    clearedUpTo = before!.lastSeq;
    const after = await clearer.store.getSession(userId, sessionId, { limit: 0 });
    writtenAfterClear = after!.lastSeq;
  })();
  let rotations = 0;
  const rotations$ = (async () => {
    while (!done) {
      await reencryptSession(rotator.store, rotator.codec, userId, sessionId, { batchSize: 7 });
      rotations++;
      // Over an in-memory store a rotation never waits for I/O: let the other clients run.
      await pause();
    }
  })();
  await Promise.all([...appends, pops, clears]);
  done = true;
  await rotations$;
  expect(rotations).toBeGreaterThan(0);

  const final = await rotator.store.getMessages(userId, sessionId);
  const finalSeqs = new Set(final.map((m) => m.seq));
  // Every message is the one appended at its seq: nothing moved, duplicated or corrupted.
  for (const message of final) {
    if (message.message['writer'] !== 'seed') expect(message.message).toEqual(appended.get(message.seq));
  }
  expect(final.map((m) => m.seq)).toEqual([...finalSeqs].sort((a, b) => a - b));
  // Nothing popped comes back, and what was popped was what had been written there.
  for (const message of popped) {
    expect(finalSeqs.has(message.seq), `popped seq ${message.seq} came back`).toBe(false);
    if (message.message['writer'] !== 'seed') expect(message.message).toEqual(appended.get(message.seq));
  }
  // Nothing cleared comes back: every seq held at the clear is gone.
  expect(clearedUpTo).toBeGreaterThan(0);
  expect(final.filter((m) => m.seq <= clearedUpTo)).toEqual([]);
  // Nothing appended after the clear is lost, unless a pop took it.
  const poppedSeqs = new Set(popped.map((m) => m.seq));
  const expected = [...appended.keys()].filter((seq) => seq > writtenAfterClear && !poppedSeqs.has(seq)).sort((a, b) => a - b);
  expect(expected.length).toBeGreaterThan(0);
  for (const seq of expected) expect(finalSeqs.has(seq), `appended seq ${seq} was lost`).toBe(true);

  // Once the load is over, one more rotation leaves nothing under the old key.
  await reencryptSession(rotator.store, rotator.codec, userId, sessionId);
  expect(await reencryptSession(rotator.store, rotator.codec, userId, sessionId)).toEqual({ sessions: 0, messages: 0 });
  const onlyNew = await open({ keys: { b: KEY_B }, currentKeyId: 'b' });
  expect(await onlyNew.store.getMessages(userId, sessionId)).toEqual(final);
}

function pause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
