import { MemorySession, type AgentInputItem } from '@openai/agents-core';
import { isSessionStoreError, type SessionStore } from '@sessions/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIAgentsSession } from '../src/openai/index.js';
import { testBackends } from './support/backends.js';

const user = (text: string): AgentInputItem => ({ type: 'message', role: 'user', content: text });
const texts = (items: AgentInputItem[]) => items.map((item) => (item as { content: string }).content);

describe.each(testBackends())('OpenAIAgentsSession history over $name', (backend) => {
  let store: SessionStore;
  let n = 0;
  const open = (options: { historyLimit?: number } = {}) =>
    new OpenAIAgentsSession({ store, userId: `user-${backend.name}`, sessionId: `history-${(n += 1)}`, ...options });
  const rawLog = async (session: OpenAIAgentsSession) =>
    store.getSession(`user-${backend.name}`, await session.getSessionId());

  beforeAll(async () => {
    store = await backend.create();
  });
  afterAll(async () => {
    await store.close();
  });

  it('round-trips items exactly: tool calls, reasoning, images, binary tool output', async () => {
    const session = open();
    const items: AgentInputItem[] = [
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'What is in this picture? ünïcödé 🚀' },
          { type: 'input_image', image: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' },
        ],
      },
      { type: 'reasoning', id: 'rs_1', content: [], providerData: { encrypted_content: 'opaque', n: 2 ** 53 - 1 } },
      { type: 'function_call', callId: 'c1', name: 'zoom', arguments: '{"factor":2,"nested":{"a":[1,2]}}', status: 'completed' },
      {
        type: 'function_call_result',
        callId: 'c1',
        name: 'zoom',
        status: 'completed',
        output: { type: 'image', image: { data: new Uint8Array([0, 1, 2, 254, 255]), mediaType: 'image/png' } },
      },
    ];
    await session.addItems(items);
    const back = await session.getItems();
    expect(back).toEqual(items);
    const output = (back[3] as { output: { image: { data: unknown } } }).output.image.data;
    expect(output).toBeInstanceOf(Uint8Array);
  });

  it('generates the session id lazily and keeps it', async () => {
    const session = new OpenAIAgentsSession({ store, userId: `user-${backend.name}` });
    const id = await session.getSessionId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await session.getSessionId()).toBe(id);
    expect(await store.getSession(`user-${backend.name}`, id)).toBeNull();
    await session.addItems([user('hi')]);
    expect(await store.getSession(`user-${backend.name}`, id)).not.toBeNull();
  });

  it('pops the newest item and clears, walking back over earlier edits', async () => {
    const session = open();
    await session.addItems(Array.from({ length: 30 }, (_, i) => user(`m${i}`)));
    for (let i = 29; i >= 20; i -= 1) expect(await session.popItem()).toEqual(user(`m${i}`));
    expect(texts(await session.getItems(3))).toEqual(['m17', 'm18', 'm19']);
    expect(await session.getItems()).toHaveLength(20);
    await session.clearSession();
    expect(await session.getItems()).toEqual([]);
    expect(await session.popItem()).toBeUndefined();
    await session.addItems([user('after')]);
    expect(texts(await session.getItems())).toEqual(['after']);
  });

  it('clearing a session never written is a no-op that creates nothing', async () => {
    const session = open();
    await session.clearSession();
    expect(await rawLog(session)).toBeNull();
  });

  it('applies append_items once per operationId', async () => {
    const session = open();
    const args = { operationId: 'op-1', transaction: { type: 'append_items' as const, items: [user('a'), user('b')] } };
    await session.applyHistoryTransaction(args);
    await session.applyHistoryTransaction(structuredClone(args));
    expect(texts(await session.getItems())).toEqual(['a', 'b']);

    const lastSeq = (await rawLog(session))?.lastSeq;
    const reused = session.applyHistoryTransaction({ operationId: 'op-1', transaction: { type: 'append_items', items: [user('x')] } });
    await expect(reused).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await rawLog(session))?.lastSeq).toBe(lastSeq);
  });

  it('replaces a matching suffix atomically, once, and refuses a stale one without writing', async () => {
    const session = open();
    await session.addItems([user('keep'), user('draft-1'), user('draft-2')]);
    const replace = {
      operationId: 'op-replace',
      transaction: { type: 'replace_suffix' as const, expectedSuffix: [user('draft-1'), user('draft-2')], replacement: [user('final')] },
    };
    await session.applyHistoryTransaction(replace);
    expect(texts(await session.getItems())).toEqual(['keep', 'final']);
    // A retry after success: the suffix no longer matches, but the operation was applied.
    await session.applyHistoryTransaction(replace);
    expect(texts(await session.getItems())).toEqual(['keep', 'final']);

    const before = (await rawLog(session))?.lastSeq;
    const stale = session.applyHistoryTransaction({
      operationId: 'op-stale',
      transaction: { type: 'replace_suffix', expectedSuffix: [user('draft-2')], replacement: [user('other')] },
    });
    await expect(stale).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await rawLog(session))?.lastSeq).toBe(before);
    expect(texts(await session.getItems())).toEqual(['keep', 'final']);
  });

  it('rejects malformed transactions before writing anything', async () => {
    const session = open();
    const bad = [
      { operationId: '', transaction: { type: 'append_items', items: [] } },
      { operationId: 'op', transaction: { type: 'rewrite', items: [] } },
      { operationId: 'op', transaction: { type: 'append_items', items: 'nope' } },
      { operationId: 'op', transaction: { type: 'append_items', items: [() => 1] } },
      { operationId: 'op', transaction: { type: 'append_items', items: [{ type: 'message', role: 'user', content: 1n }] } },
    ];
    for (const args of bad) {
      await expect(session.applyHistoryTransaction(args as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    expect(await rawLog(session)).toBeNull();
  });

  it('leaves the old history whole when a compaction cannot be stored', async () => {
    const session = open();
    await session.addItems([user('one'), user('two')]);
    const huge = user('x'.repeat(300 * 1024));
    const failed = session.replaceHistoryWithCompaction([{ type: 'compaction', encrypted_content: 'c' }, huge]);
    await expect(failed).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(texts(await session.getItems())).toEqual(['one', 'two']);

    await session.replaceHistoryWithCompaction([{ type: 'compaction', encrypted_content: 'c' }, user('kept')]);
    expect(await session.getItems()).toEqual([{ type: 'compaction', encrypted_content: 'c' }, user('kept')]);
  });

  it('never hands the same item to two concurrent pops', async () => {
    const session = open();
    await session.addItems(Array.from({ length: 10 }, (_, i) => user(`m${i}`)));
    const popped = await Promise.all(Array.from({ length: 6 }, () => session.popItem()));
    expect(new Set(texts(popped as AgentInputItem[])).size).toBe(6);
    expect(texts(await session.getItems())).toEqual(['m0', 'm1', 'm2', 'm3']);
  });

  it('never hands the same item to two concurrent pops, and removes what it pops', async () => {
    const session = open();
    await session.addItems(Array.from({ length: 10 }, (_, i) => user(`m${i}`)));
    const popped = await Promise.all(Array.from({ length: 4 }, () => session.popItem()));
    expect(new Set(texts(popped as AgentInputItem[])).size).toBe(4);
    const log = await store.getMessages(`user-${backend.name}`, await session.getSessionId());
    expect(log.map((entry) => entry.message)).toEqual(Array.from({ length: 6 }, (_, i) => user(`m${i}`)));
  });

  it('retries a suffix replacement when another writer got in between, and gives up with a clear CONFLICT', async () => {
    // A writer that lands between the replacement's read and its write, every time: an append
    // and a pop, so lastSeq moves but the suffix still matches.
    let interleave = 0;
    const racing = new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property !== 'replaceTail' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<SessionStore['replaceTail']>) => {
          if (interleave > 0) {
            interleave -= 1;
            await target.append(args[0], args[1], { type: 'message', role: 'user', content: 'intruder' });
            await target.popMessage(args[0], args[1]);
          }
          return target.replaceTail(...args);
        };
      },
    });
    const sessionId = `race-${(n += 1)}`;
    const make = (maxRetries: number) => new OpenAIAgentsSession({ store: racing, userId: `user-${backend.name}`, sessionId, maxRetries });
    await make(0).addItems([user('a'), user('b')]);
    const replace = (operationId: string, text: string) => ({
      operationId,
      transaction: { type: 'replace_suffix' as const, expectedSuffix: [user('b')], replacement: [user(text)] },
    });

    interleave = 1;
    const lost = make(0).applyHistoryTransaction(replace('op-lost', 'x'));
    await expect(lost).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/another writer changed the session/) });
    expect(texts(await make(0).getItems())).toEqual(['a', 'b']);

    interleave = 2;
    await make(2).applyHistoryTransaction(replace('op-won', 'y'));
    expect(texts(await make(0).getItems())).toEqual(['a', 'y']);
  });

  it('lets exactly one of two racing suffix replacements win', async () => {
    const session = open();
    await session.addItems([user('a'), user('b')]);
    const race = (id: string, text: string) =>
      session.applyHistoryTransaction({
        operationId: id,
        transaction: { type: 'replace_suffix', expectedSuffix: [user('b')], replacement: [user(text)] },
      });
    const results = await Promise.allSettled([race('op-x', 'x'), race('op-y', 'y')]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(isSessionStoreError(rejected.reason, 'CONFLICT')).toBe(true);
    expect((await session.getItems()).length).toBe(2);
  });

  it('behaves like the SDK MemorySession for any sequence of operations', async () => {
    type Op =
      | { kind: 'add'; texts: string[] }
      | { kind: 'pop' }
      | { kind: 'clear' }
      | { kind: 'compact'; keep: number }
      | { kind: 'replace'; drop: number; texts: string[] }
      | { kind: 'read'; limit: number };
    const textList = fc.array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 3 });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), texts: textList }),
      fc.constant({ kind: 'pop' as const }),
      fc.constant({ kind: 'clear' as const }),
      fc.record({ kind: fc.constant('compact' as const), keep: fc.nat(3) }),
      fc.record({ kind: fc.constant('replace' as const), drop: fc.nat(3), texts: fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }) }),
      fc.record({ kind: fc.constant('read' as const), limit: fc.nat(6) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 14 }), async (ops) => {
        const ours = open();
        const reference = new MemorySession();
        for (const [index, step] of ops.entries()) {
          if (step.kind === 'add') {
            await ours.addItems(step.texts.map(user));
            await reference.addItems(step.texts.map(user));
          } else if (step.kind === 'pop') {
            expect(await ours.popItem()).toEqual(await reference.popItem());
          } else if (step.kind === 'clear') {
            await ours.clearSession();
            await reference.clearSession();
          } else if (step.kind === 'compact') {
            const kept = await reference.getItems(step.keep);
            const replacement = [{ type: 'compaction' as const, encrypted_content: `c${index}` }, ...kept];
            await ours.replaceHistoryWithCompaction(replacement);
            await reference.clearSession();
            await reference.addItems(replacement);
          } else if (step.kind === 'replace') {
            const current = await reference.getItems();
            const expectedSuffix = current.slice(Math.max(0, current.length - step.drop));
            const args = {
              operationId: `op-${index}`,
              transaction: { type: 'replace_suffix' as const, expectedSuffix, replacement: step.texts.map(user) },
            };
            await ours.applyHistoryTransaction(args);
            await reference.applyHistoryTransaction(args);
          } else {
            expect(await ours.getItems(step.limit)).toEqual(await reference.getItems(step.limit));
          }
          const expected = await reference.getItems();
          expect(await ours.getItems()).toEqual(expected);
          // The store holds exactly the history: nothing hidden, no bookkeeping records.
          const log = await store.getMessages(`user-${backend.name}`, await ours.getSessionId());
          expect(log.map((entry) => entry.message)).toEqual(expected);
        }
      }),
      { numRuns: backend.name === 'memory' ? 60 : 15 },
    );
  });

  it('limits getItems() to historyLimit, not an explicit limit', async () => {
    const session = open({ historyLimit: 2 });
    await session.addItems([user('a'), user('b'), user('c')]);
    expect(texts(await session.getItems())).toEqual(['b', 'c']);
    expect(texts(await session.getItems(3))).toEqual(['a', 'b', 'c']);
    expect(await session.getItems(0)).toEqual([]);
    expect(() => new OpenAIAgentsSession({ store, userId: 'u', historyLimit: -1 })).toThrow(/historyLimit/);
  });
});
