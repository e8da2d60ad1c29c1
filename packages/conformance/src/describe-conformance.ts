import { afterAll, beforeAll, describe } from 'vitest';
import type { JsonObject } from '@sessions/core';
import { appendAtomicBatchBehaviour } from './behaviours/append-atomic-batch.js';
import { appendBasicBehaviour } from './behaviours/append-basic.js';
import { batchCapsBehaviour } from './behaviours/batch-caps.js';
import { clearBehaviour } from './behaviours/clear.js';
import { closeHealthBehaviour } from './behaviours/close-health.js';
import { compareAndAppendBehaviour } from './behaviours/compare-and-append.js';
import { concurrencyBehaviour } from './behaviours/concurrency.js';
import { createGetBehaviour } from './behaviours/create-get.js';
import { deleteUserBehaviour } from './behaviours/delete-user.js';
import { expiryBehaviour } from './behaviours/expiry.js';
import { forkBehaviour } from './behaviours/fork.js';
import { getMessagesRangesBehaviour } from './behaviours/get-messages-ranges.js';
import { idempotencyBehaviour } from './behaviours/idempotency.js';
import { inputValidationBehaviour } from './behaviours/input-validation.js';
import { isolationBehaviour } from './behaviours/isolation.js';
import { limitsBehaviour } from './behaviours/limits.js';
import { listSessionsBehaviour } from './behaviours/list-sessions.js';
import { listUsersBehaviour } from './behaviours/list-users.js';
import { longHistoryBehaviour } from './behaviours/long-history.js';
import { messageSchemaBehaviour } from './behaviours/message-schema.js';
import { modelBasedBehaviour } from './behaviours/model-based.js';
import { popBehaviour } from './behaviours/pop.js';
import { purgeExpiredBehaviour } from './behaviours/purge-expired.js';
import { rawInspectionBehaviour } from './behaviours/raw-inspection.js';
import { readHistoryBehaviour } from './behaviours/read-history.js';
import { replaceTailBehaviour } from './behaviours/replace-tail.js';
import { restoreBehaviour } from './behaviours/restore.js';
import { rewriteBehaviour } from './behaviours/rewrite.js';
import { roundTripBehaviour } from './behaviours/round-trip.js';
import { sessionHandleBehaviour } from './behaviours/session-handle.js';
import { setupBehaviour } from './behaviours/setup.js';
import { trimBehaviour } from './behaviours/trim.js';
import { typedErrorsBehaviour } from './behaviours/typed-errors.js';
import { updateDeleteBehaviour } from './behaviours/update-delete.js';
import { watchBehaviour } from './behaviours/watch.js';
import { createSuiteContext, resolveCapabilities, type SuiteContext } from './context.js';
import type { ConformanceFactory, ConformanceOptions } from './types.js';

/** Every behaviour of the suite, in the order they run. */
const BEHAVIOURS: ReadonlyArray<(ctx: SuiteContext) => void> = [
  createGetBehaviour,
  listSessionsBehaviour,
  updateDeleteBehaviour,
  appendBasicBehaviour,
  appendAtomicBatchBehaviour,
  compareAndAppendBehaviour,
  idempotencyBehaviour,
  getMessagesRangesBehaviour,
  longHistoryBehaviour,
  popBehaviour,
  clearBehaviour,
  replaceTailBehaviour,
  trimBehaviour,
  rewriteBehaviour,
  readHistoryBehaviour,
  watchBehaviour,
  batchCapsBehaviour,
  sessionHandleBehaviour,
  setupBehaviour,
  forkBehaviour,
  deleteUserBehaviour,
  listUsersBehaviour,
  restoreBehaviour,
  expiryBehaviour,
  purgeExpiredBehaviour,
  limitsBehaviour,
  inputValidationBehaviour,
  messageSchemaBehaviour,
  roundTripBehaviour,
  typedErrorsBehaviour,
  isolationBehaviour,
  closeHealthBehaviour,
  rawInspectionBehaviour,
  concurrencyBehaviour,
  modelBasedBehaviour,
];

/**
 * Registers the whole conformance suite for one backend as a vitest `describe` block.
 * Call it at the top level of a test file:
 *
 * ```ts
 * describeConformance({ name: 'redis', factory: { create: (ns, opts) => ... } });
 * ```
 *
 * All tests share one namespace (`conf_<random>`) and use fresh user/session ids, so they never
 * collide; the `purgeExpired` tests use a second one (`conf_<random>_q`) to count exactly. The
 * suite closes every store it creates and calls `factory.teardown` at the end.
 */
export function describeConformance<M extends JsonObject = JsonObject>(options: ConformanceOptions<M>): void {
  const capabilities = resolveCapabilities(options.capabilities);
  // The suite writes plain chat-like JSON messages: give it stores without a messageSchema of
  // their own (it passes one in through `options` where it needs one).
  const factory = options.factory as unknown as ConformanceFactory<JsonObject>;
  const lifecycle = createSuiteContext(options.name, factory, capabilities);

  describe(`${options.name} conformance`, () => {
    beforeAll(() => lifecycle.start());
    afterAll(() => lifecycle.stop());
    for (const register of BEHAVIOURS) register(lifecycle.context);
  });
}
