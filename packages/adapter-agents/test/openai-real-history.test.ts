import { MemorySession, type AgentInputItem, type SessionHistoryTransactionArgs } from '@openai/agents-core';
import type { SessionStore } from '@sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIAgentsSession } from '../src/openai/index.js';
import { testBackends } from './support/backends.js';

const user = (text: string): AgentInputItem => ({ type: 'message', role: 'user', content: text });
const append = (operationId: string, items: unknown[]) =>
  ({ operationId, transaction: { type: 'append_items', items } }) as SessionHistoryTransactionArgs;

describe.each(testBackends())('OpenAIAgentsSession stores real history over $name', (backend) => {
  let store: SessionStore;
  let n = 0;
  const userId = `real-${backend.name}`;
  const open = () => new OpenAIAgentsSession({ store, userId, sessionId: `real-${(n += 1)}` });
  const stored = async (session: OpenAIAgentsSession) =>
    (await store.getMessages(userId, await session.getSessionId())).map((entry) => entry.message);

  beforeAll(async () => {
    store = await backend.create();
  });
  afterAll(async () => {
    await store.close();
  });

  it('holds exactly the 3 items after addItems(5), popItem, clearSession, addItems(3), as MemorySession', async () => {
    const ours = open();
    const reference = new MemorySession();
    const old = ['old-1', 'old-2', 'old-3', 'old-4', 'old-5'].map(user);
    const fresh = ['new-1', 'new-2', 'new-3'].map(user);
    for (const session of [ours, reference]) await session.addItems(old);
    expect(await ours.popItem()).toEqual(await reference.popItem());
    for (const session of [ours, reference]) await session.clearSession();
    for (const session of [ours, reference]) await session.addItems(fresh);

    expect(await ours.getItems()).toEqual(await reference.getItems());
    expect(await stored(ours)).toEqual(fresh);
    const info = await store.getSession(userId, await ours.getSessionId(), { limit: 0 });
    expect(info?.messageCount).toBe(3);

    const inspector = backend.inspector?.(store);
    expect(inspector !== undefined).toBe(backend.name === 'redis');
    if (inspector) {
      // What the server holds for the session: the 3 items, nothing of the 5 removed ones.
      const raw = (await inspector.sessionRecords(userId, await ours.getSessionId())).join('\n');
      expect(raw.match(/new-\d/g)?.length).toBe(3);
      expect(raw).not.toMatch(/old-\d/);
      expect(raw).not.toContain('history-edit');
    }
  });

  it('replaces the whole history in the store on compaction', async () => {
    const session = open();
    await session.addItems(['a', 'b', 'c'].map(user));
    await session.replaceHistoryWithCompaction([{ type: 'compaction', encrypted_content: 'summary' }, user('c')]);
    expect(await stored(session)).toEqual([{ type: 'compaction', encrypted_content: 'summary' }, user('c')]);
    await session.replaceHistoryWithCompaction([]);
    expect(await stored(session)).toEqual([]);
  });

  it('stores only the items of history transactions', async () => {
    const session = open();
    await session.applyHistoryTransaction(append('op-a', [user('a'), user('draft')]));
    await session.applyHistoryTransaction({
      operationId: 'op-r',
      transaction: { type: 'replace_suffix', expectedSuffix: [user('draft')], replacement: [user('final')] },
    });
    expect(await stored(session)).toEqual([user('a'), user('final')]);
  });

  it('forgets operation ids when the session is cleared, as MemorySession does', async () => {
    const ours = open();
    const reference = new MemorySession();
    const transaction = append('op-reset', [user('committed')]);
    for (const session of [ours, reference]) {
      await session.applyHistoryTransaction(transaction);
      await session.applyHistoryTransaction(transaction); // a retry: applied once
      await session.clearSession();
      await session.applyHistoryTransaction(transaction); // a new application after the clear
      await session.applyHistoryTransaction(transaction); // and its retry
    }
    expect(await ours.getItems()).toEqual(await reference.getItems());
    expect(await stored(ours)).toEqual([user('committed')]);

    // Cleared twice more: each clear starts a new generation of the same id.
    await ours.clearSession();
    await ours.applyHistoryTransaction(append('op-reset', [user('other')]));
    expect(await stored(ours)).toEqual([user('other')]);
    await expect(ours.applyHistoryTransaction(transaction)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('already applied with a different transaction'),
    });
  });

  it('remembers an operation id after pops, unless they empty the history (unlike MemorySession)', async () => {
    const session = open();
    await session.addItems([user('keep')]);
    await session.applyHistoryTransaction(append('op-pop', [user('x')]));
    await session.popItem();
    await session.applyHistoryTransaction(append('op-pop', [user('x')])); // remembered: not applied again
    expect(await stored(session)).toEqual([user('keep')]);

    await session.popItem();
    // Everything up to the operation's first item is gone now, as after a clear: it counts as
    // forgotten and applies again (MemorySession would still skip it).
    await session.applyHistoryTransaction(append('op-pop', [user('x')]));
    expect(await stored(session)).toEqual([user('x')]);
  });

  it('records an empty append transaction', async () => {
    const ours = open();
    await ours.applyHistoryTransaction(append('op-empty', []));
    await ours.applyHistoryTransaction(append('op-empty', []));
    await expect(ours.applyHistoryTransaction(append('op-empty', [user('unexpected')]))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(await ours.getItems()).toEqual([]);
  });

  it('applies history mutations as MemorySession does: in place when nothing is dropped', async () => {
    const call = (id: string, args: string): AgentInputItem => ({ type: 'function_call', id, callId: 'call-1', name: 'lookup', status: 'completed', arguments: args });
    const replacement = call('call-new', '{"ok":true}');
    const mutations = { mutations: [{ type: 'replace_function_call' as const, callId: 'call-1', replacement: replacement as never }] };

    // One matching call: rewritten in place, its seq kept.
    const single = open();
    const singleReference = new MemorySession({ initialItems: [user('start'), call('call-old', '{}'), user('after')] });
    await single.addItems([user('start'), call('call-old', '{}'), user('after')]);
    const seqsBefore = (await store.getMessages(userId, await single.getSessionId())).map((entry) => entry.seq);
    await single.applyHistoryMutations(mutations);
    await singleReference.applyHistoryMutations(mutations);
    expect(await single.getItems()).toEqual(await singleReference.getItems());
    const log = await store.getMessages(userId, await single.getSessionId());
    expect(log.map((entry) => entry.seq)).toEqual(seqsBefore);
    expect(log.map((entry) => entry.message)).toEqual(await singleReference.getItems());

    // A duplicate call: dropped, the tail from it replaced.
    const duplicated = [user('start'), call('call-old-1', '{"ok":false}'), user('mid'), call('call-old-2', '{"dup":true}'), user('end')];
    const ours = open();
    const reference = new MemorySession({ initialItems: duplicated });
    await ours.addItems(duplicated);
    await ours.applyHistoryMutations(mutations);
    await reference.applyHistoryMutations(mutations);
    expect(await ours.getItems()).toEqual(await reference.getItems());
    expect(await stored(ours)).toEqual(await reference.getItems());

    // No matching call: nothing changes.
    await ours.applyHistoryMutations({ mutations: [{ type: 'replace_function_call', callId: 'none', replacement: replacement as never }] });
    expect(await stored(ours)).toEqual(await reference.getItems());
    await expect(ours.applyHistoryMutations({ mutations: [{ type: 'other' }] } as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  describe('validation as strict as MemorySession, nothing recorded on rejection', () => {
    /** Rejects `args`, writes nothing, and leaves the operation id free for a valid transaction. */
    async function rejected(args: unknown, message: RegExp) {
      const session = open();
      await session.addItems([user('start')]);
      const sessionId = await session.getSessionId();
      const before = await store.getSession(userId, sessionId);
      await expect(session.applyHistoryTransaction(args as SessionHistoryTransactionArgs)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(message),
      });
      const after = await store.getSession(userId, sessionId);
      expect(after?.lastSeq).toBe(before?.lastSeq);
      expect(after?.messages).toEqual(before?.messages);
      await session.applyHistoryTransaction(append('op-checked', [user('retry')]));
      expect(await stored(session)).toEqual([user('start'), user('retry')]);
    }

    it('rejects a non-enumerable property', async () => {
      const item = user('hidden');
      Object.defineProperty(item, 'providerData', { enumerable: false, value: { hidden: true } });
      await rejected(append('op-checked', [item]), /items\[0\]\.providerData is not enumerable/);
    });

    it('rejects unknown transaction fields', async () => {
      const args = { operationId: 'op-checked', transaction: { type: 'append_items', items: [user('x')], metadata: { attempt: 1 } } };
      await rejected(args, /append transaction fields are invalid/);
      const suffix = {
        operationId: 'op-checked',
        transaction: { type: 'replace_suffix', expectedSuffix: [], replacement: [], extra: true },
      };
      await rejected(suffix, /suffix transaction fields are invalid/);
    });

    it('rejects proxies: of the item list, of an item, of a nested value, of the transaction', async () => {
      await rejected(append('op-checked', new Proxy([user('proxied')], {})), /items is a Proxy/);
      await rejected(append('op-checked', [new Proxy(user('proxied'), {})]), /items\[0\] is a Proxy/);
      await rejected(append('op-checked', [{ ...user('x'), providerData: new Proxy({}, {}) }]), /providerData is a Proxy/);
      await rejected({ operationId: 'op-checked', transaction: new Proxy({ type: 'append_items', items: [] }, {}) }, /transaction is a Proxy/);
    });

    it('rejects typed arrays other than Uint8Array, and a Uint8Array with extra properties', async () => {
      await rejected(append('op-checked', [{ ...user('x'), providerData: { values: new Uint16Array([300]) } }]), /binary data other than a Uint8Array/);
      const bytes = Object.assign(new Uint8Array([1]), { extra: 1 });
      await rejected(append('op-checked', [{ ...user('x'), providerData: { bytes } }]), /Uint8Array with extra properties/);
    });

    it('rejects getters without running them, and a throwing envelope getter with a clear error', async () => {
      let calls = 0;
      const item = user('x');
      Object.defineProperty(item, 'providerData', {
        enumerable: true,
        get: () => {
          calls += 1;
          throw new Error('api-key-secret');
        },
      });
      await rejected(append('op-checked', [item]), /items\[0\]\.providerData is a getter or setter/);
      expect(calls).toBe(0);

      const envelope = {};
      Object.defineProperty(envelope, 'operationId', {
        get: () => {
          throw new Error('api-key-secret');
        },
      });
      const session = open();
      const error = await session.applyHistoryTransaction(envelope as SessionHistoryTransactionArgs).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('arguments are invalid') });
      expect((error as Error).message).not.toContain('api-key-secret');
    });

    it('rejects Dates, BigInts, cycles, sparse arrays and symbols, without quoting the value', async () => {
      const cycle: Record<string, unknown> = {};
      cycle['self'] = cycle;
      await rejected(append('op-checked', [{ ...user('x'), providerData: { at: new Date(0) } }]), /is a Date/);
      await rejected(append('op-checked', [{ ...user('x'), providerData: { value: 42n } }]), /is a bigint/);
      await rejected(append('op-checked', [{ ...user('x'), providerData: cycle }]), /is a cycle/);
      await rejected(append('op-checked', new Array(1)), /sparse array/);
      const secret = { ...user('x'), providerData: { secret: Symbol('api-key-secret') } };
      const session = open();
      const error = await session.applyHistoryTransaction(append('op-secret', [secret])).catch((caught: unknown) => caught);
      expect((error as Error).message).toMatch(/items contain invalid or unsupported data/);
      expect((error as Error).message).not.toContain('api-key-secret');
    });

    it('applies the same checks to addItems and compaction, writing nothing', async () => {
      const session = open();
      await session.addItems([user('start')]);
      const proxied = new Proxy(user('p'), {});
      await expect(session.addItems([proxied])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/is a Proxy/) });
      await expect(session.replaceHistoryWithCompaction([{ ...user('x'), providerData: new Float32Array(1) } as AgentInputItem])).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
      expect(await stored(session)).toEqual([user('start')]);
    });

    it('keeps an own __proto__ key a key: it never becomes the prototype', async () => {
      const item = JSON.parse(
        '{"type":"message","role":"user","content":"x","providerData":{"__proto__":{"polluted":true},"plain":1}}',
      ) as AgentInputItem;
      const session = open();
      await session.addItems([item]);
      await session.applyHistoryTransaction(append('op-proto', [item]));
      for (const back of await session.getItems()) {
        const providerData = back.providerData as Record<string, unknown>;
        expect(Object.getPrototypeOf(providerData)).toBe(Object.prototype);
        expect(Object.keys(providerData).sort()).toEqual(['__proto__', 'plain']);
        expect(Object.getOwnPropertyDescriptor(providerData, '__proto__')?.value).toEqual({ polluted: true });
        expect(providerData['polluted']).toBeUndefined();
      }
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      // A retry compares equal, so the operation is recognised.
      await session.applyHistoryTransaction(append('op-proto', [item]));
      expect(await session.getItems()).toHaveLength(2);
    });

    it('rejects an item of the reserved history-edit type', async () => {
      await rejected(append('op-checked', [{ type: '@sessions/history-edit', drop: 'all' }]), /reserved/);
    });
  });
});
