import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isSessionStoreError, type JsonObject, type SessionInfo, type SessionStore, type StoredMessage } from '@sessions/core';
import type { SuiteContext } from '../context.js';
import { ReferenceModel, type Outcome } from '../reference-model.js';

const SESSIONS = ['a', 'b', 'c'] as const;
type SessionName = (typeof SESSIONS)[number];

/** One step of a random run. `expected: 'current'` reads the model's lastSeq at run time. */
export type Command =
  | { kind: 'append'; session: SessionName; batch: JsonObject[]; single: boolean; expected?: number | 'current'; key?: string; create?: false }
  | { kind: 'replaceTail'; session: SessionName; afterSeq: number; batch: JsonObject[]; expected?: number | 'current'; key?: string; create?: false }
  | { kind: 'trim'; session: SessionName; beforeSeq: number }
  | { kind: 'rewrite'; session: SessionName; rewrites: Array<{ seq: number; message: JsonObject }>; expected?: number | 'current' }
  | { kind: 'getMessages'; session: SessionName; limit?: number; afterSeq?: number; beforeSeq?: number; from?: 'start' | 'end' }
  | { kind: 'getSession'; session: SessionName; limit?: number }
  | { kind: 'getOrCreate'; session: SessionName; metadata: JsonObject; limit?: number }
  | { kind: 'create'; session: SessionName; metadata: JsonObject }
  | { kind: 'update'; session: SessionName; metadata?: JsonObject }
  | { kind: 'pop' | 'clear' | 'delete'; session: SessionName }
  | { kind: 'fork'; session: SessionName; target: SessionName; uptoSeq?: number; metadata?: JsonObject }
  | { kind: 'list' };

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const session = fc.constantFrom(...SESSIONS);
const patch = fc.dictionary(fc.constantFrom('x', 'y', 'z'), fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 5 }), fc.string({ maxLength: 3 })), {
  maxKeys: 3,
});
const message = fc.record({ role: fc.constantFrom('user', 'assistant', 'tool'), text: fc.string({ maxLength: 6 }) });

/** The random commands of the model-based test. */
export const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        kind: fc.constant('append' as const),
        session,
        batch: fc.array(message, { minLength: 1, maxLength: 4 }),
        single: fc.boolean(),
        expected: opt(fc.oneof(fc.constant('current' as const), fc.nat(8))),
        key: opt(fc.constantFrom('k1', 'k2', 'k3')),
        create: fc.option(fc.constant(false as const), { nil: undefined, freq: 6 }),
      },
      { requiredKeys: ['kind', 'session', 'batch', 'single'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant('replaceTail' as const),
        session,
        afterSeq: fc.nat(10),
        batch: fc.array(message, { maxLength: 3 }),
        expected: opt(fc.oneof(fc.constant('current' as const), fc.nat(8))),
        key: opt(fc.constantFrom('k1', 'k2', 'k3')),
        create: fc.option(fc.constant(false as const), { nil: undefined, freq: 6 }),
      },
      { requiredKeys: ['kind', 'session', 'afterSeq', 'batch'] },
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('trim' as const), session, beforeSeq: fc.nat(12) }) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        kind: fc.constant('rewrite' as const),
        session,
        rewrites: fc.uniqueArray(fc.record({ seq: fc.integer({ min: 1, max: 10 }), message }), { minLength: 1, maxLength: 3, selector: (r) => r.seq }),
        expected: opt(fc.oneof(fc.constant('current' as const), fc.nat(8))),
      },
      { requiredKeys: ['kind', 'session', 'rewrites'] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc.record(
      { kind: fc.constant('getMessages' as const), session, limit: opt(fc.nat(6)), afterSeq: opt(fc.nat(12)), beforeSeq: opt(fc.nat(12)), from: opt(fc.constantFrom('start' as const, 'end' as const)) },
      { requiredKeys: ['kind', 'session'] },
    ),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('getSession' as const), session, limit: opt(fc.nat(5)) }, { requiredKeys: ['kind', 'session'] }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('getOrCreate' as const), session, metadata: patch, limit: opt(fc.nat(5)) }, { requiredKeys: ['kind', 'session', 'metadata'] }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('create' as const), session, metadata: patch }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('update' as const), session, metadata: opt(patch) }, { requiredKeys: ['kind', 'session'] }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pop' as const), session }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const), session }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), session }) },
  {
    weight: 1,
    arbitrary: fc.record(
      { kind: fc.constant('fork' as const), session, target: session, uptoSeq: opt(fc.nat(10)), metadata: opt(patch) },
      { requiredKeys: ['kind', 'session', 'target'] },
    ),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'list' as const }) },
);

const info = (i: SessionInfo) => ({ id: i.id, metadata: i.metadata, messageCount: i.messageCount, lastSeq: i.lastSeq });
const stored = (messages: StoredMessage<JsonObject>[]) => messages.map((m) => ({ seq: m.seq, message: m.message }));

/** Runs one command on the model. */
function onModel(model: ReferenceModel, c: Command): Outcome {
  switch (c.kind) {
    case 'append': {
      const expected = c.expected === 'current' ? model.lastSeq(c.session) : c.expected;
      return model.append(c.session, c.batch, expected, c.key, c.create !== false);
    }
    case 'replaceTail': {
      const expected = c.expected === 'current' ? model.lastSeq(c.session) : c.expected;
      return model.replaceTail(c.session, c.afterSeq, c.batch, expected, c.key, c.create !== false);
    }
    case 'trim':
      return model.trimSession(c.session, c.beforeSeq);
    case 'rewrite':
      return model.rewriteMessages(c.session, c.rewrites, c.expected === 'current' ? model.lastSeq(c.session) : c.expected);
    case 'getMessages':
      return model.getMessages(c.session, c);
    case 'getSession':
      return model.getSession(c.session, c.limit);
    case 'getOrCreate':
      return model.getOrCreateSession(c.session, c.metadata, c.limit);
    case 'create':
      return model.createSession(c.session, c.metadata);
    case 'update':
      return model.updateSession(c.session, c.metadata);
    case 'pop':
      return model.popMessage(c.session);
    case 'clear':
      return model.clearSession(c.session);
    case 'delete':
      return model.deleteSession(c.session);
    case 'fork':
      return model.forkSession(c.session, c.target, c.uptoSeq, c.metadata);
    case 'list':
      return model.listSessions();
  }
}

/** Runs one command on the store and normalises the answer to the model's shape. */
async function onStore(store: SessionStore<JsonObject>, userId: string, c: Command): Promise<unknown> {
  switch (c.kind) {
    case 'append':
      return store.append(userId, c.session, c.single && c.batch[0] !== undefined && c.batch.length === 1 ? c.batch[0] : c.batch, {
        expectedLastSeq: c.expected === 'current' ? undefined : c.expected,
        idempotencyKey: c.key,
        create: c.create,
      });
    case 'replaceTail':
      return store.replaceTail(
        userId,
        c.session,
        { afterSeq: c.afterSeq, messages: c.batch },
        { expectedLastSeq: c.expected === 'current' ? undefined : c.expected, idempotencyKey: c.key, create: c.create },
      );
    case 'trim':
      return store.trimSession(userId, c.session, { beforeSeq: c.beforeSeq });
    case 'rewrite':
      return store.rewriteMessages(userId, c.session, c.rewrites, { expectedLastSeq: c.expected === 'current' ? undefined : c.expected });
    case 'getMessages':
      return stored(await store.getMessages(userId, c.session, { limit: c.limit, afterSeq: c.afterSeq, beforeSeq: c.beforeSeq, from: c.from }));
    case 'getSession': {
      const s = await store.getSession(userId, c.session, { limit: c.limit });
      return s && { ...info(s), messages: stored(s.messages) };
    }
    case 'getOrCreate': {
      const s = await store.getOrCreateSession(userId, c.session, { metadata: c.metadata, limit: c.limit });
      return { ...info(s), messages: stored(s.messages), created: s.created };
    }
    case 'create':
      return info(await store.createSession(userId, { sessionId: c.session, metadata: c.metadata }));
    case 'update':
      return info(await store.updateSession(userId, c.session, { metadata: c.metadata }));
    case 'pop': {
      const m = await store.popMessage(userId, c.session);
      return m && { seq: m.seq, message: m.message };
    }
    case 'clear':
      return store.clearSession(userId, c.session);
    case 'delete':
      return store.deleteSession(userId, c.session);
    case 'fork':
      return info(await store.forkSession(userId, c.session, { newSessionId: c.target, uptoSeq: c.uptoSeq, metadata: c.metadata }));
    case 'list':
      return (await store.listSessions(userId, { limit: 1000 })).items.map(info).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

/**
 * Random command sequences run on the store and on {@link ReferenceModel}, compared answer by
 * answer (values and error codes). Each run uses a fresh user, so runs never see each other.
 */
export function modelBasedBehaviour(ctx: SuiteContext): void {
  describe('model-based', () => {
    it(`agrees with the reference model on ${ctx.capabilities.modelRuns} random command sequences`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(commandArbitrary, { minLength: 1, maxLength: 30 }), async (commands) => {
          const userId = ctx.freshId('model');
          const model = new ReferenceModel();
          try {
            for (const [step, raw] of commands.entries()) {
              // Resolve "the current lastSeq" once, before either side runs.
              const command: Command = 'expected' in raw && raw.expected === 'current' ? { ...raw, expected: model.lastSeq(raw.session) } : raw;
              const want = onModel(model, command);
              const got: Outcome = await onStore(ctx.store, userId, command).then(
                (value) => ({ ok: true, value }),
                (error: unknown) => {
                  if (isSessionStoreError(error)) return { ok: false, code: error.code };
                  throw error;
                },
              );
              const where = `step ${step}: ${JSON.stringify(command)}`;
              if (!want.ok && !got.ok && want.alsoAccepted === got.code) continue;
              expect(got, where).toEqual(want.ok ? want : { ok: false, code: want.code });
            }
          } finally {
            await ctx.store.deleteUser(userId);
          }
        }),
        { numRuns: ctx.capabilities.modelRuns },
      );
    });
  });
}
