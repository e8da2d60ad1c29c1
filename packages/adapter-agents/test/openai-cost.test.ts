import { Agent, run, type AgentInputItem } from '@openai/agents-core';
import type { SessionStore } from '@sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIAgentsSession } from '../src/openai/index.js';
import { testBackends } from './support/backends.js';
import { countingStore } from './support/counting-store.js';
import { ScriptedModel, assistantMessage } from './support/scripted-model.js';

const user = (text: string): AgentInputItem => ({ type: 'message', role: 'user', content: text });

// Rule 2 of the contract, for the adapter: what a read costs follows what it returns (plus what
// was hidden since the newest compaction or clear), never the length of the whole log.
describe.each(testBackends())('OpenAIAgentsSession cost over $name', (backend) => {
  let store: SessionStore;
  beforeAll(async () => {
    store = await backend.create();
  });
  afterAll(async () => {
    await store.close();
  });

  it('reads only the newest items of a long history, in one round trip', async () => {
    const { store: counted, traffic } = countingStore(store);
    const session = new OpenAIAgentsSession({ store: counted, userId: 'cost', sessionId: 'long' });
    for (let i = 0; i < 10; i += 1) await session.addItems(Array.from({ length: 100 }, (_, j) => user(`m${i * 100 + j}`)));
    traffic.calls = {};
    traffic.messagesRead = 0;
    expect(await session.getItems(5)).toHaveLength(5);
    expect(traffic.calls).toEqual({ getSession: 1 });
    expect(traffic.messagesRead).toBeLessThanOrEqual(5 + 8);

    // The whole history, paged back in growing pages, in order.
    const all = await session.getItems();
    expect(all).toHaveLength(1000);
    expect(all[0]).toEqual(user('m0'));
    expect(all[999]).toEqual(user('m999'));
  });

  it('stops reading near the newest compaction', async () => {
    const { store: counted, traffic } = countingStore(store);
    const session = new OpenAIAgentsSession({ store: counted, userId: 'cost', sessionId: 'compacted' });
    await session.addItems(Array.from({ length: 1000 }, (_, i) => user(`old${i}`)));
    await session.replaceHistoryWithCompaction([{ type: 'compaction', encrypted_content: 'summary' }, user('kept')]);
    await session.addItems([user('new')]);
    traffic.messagesRead = 0;
    expect(await session.getItems()).toHaveLength(3);
    // One first page (64 messages), not the 1000 items the compaction replaced.
    expect(traffic.messagesRead).toBeLessThanOrEqual(64);
  });

  it('costs one read and at most two appends per run() turn', async () => {
    const { store: counted, traffic } = countingStore(store);
    const model = new ScriptedModel([[assistantMessage('a')], [assistantMessage('b')]]);
    const agent = new Agent({ name: 'Cheap', instructions: 'x', model });
    const session = new OpenAIAgentsSession({ store: counted, userId: 'cost', sessionId: 'turns', historyLimit: 20 });
    await run(agent, 'one', { session });
    traffic.calls = {};
    await run(agent, 'two', { session });
    expect(traffic.calls['getSession']).toBe(1);
    expect(traffic.calls['append']).toBeLessThanOrEqual(2);
    expect(traffic.calls['getMessages'] ?? 0).toBe(0);
  });
});
