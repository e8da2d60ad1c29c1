import { Agent, OutputGuardrailTripwireTriggered, run, tool, type AgentInputItem } from '@openai/agents-core';
import type { SessionStore } from '@sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OpenAIAgentsSession } from '../src/openai/index.js';
import { testBackends } from './support/backends.js';
import { ScriptedModel, assistantMessage, functionCall, inputTexts, itemTexts, reasoning } from './support/scripted-model.js';

describe.each(testBackends())('OpenAIAgentsSession with run() over $name', (backend) => {
  let store: SessionStore;
  let n = 0;
  const ids = () => ({ userId: `user-${backend.name}`, sessionId: `run-${(n += 1)}` });

  beforeAll(async () => {
    store = await backend.create();
  });
  afterAll(async () => {
    await store.close();
  });

  it('sends turn 1 to the model in turn 2', async () => {
    const model = new ScriptedModel([[assistantMessage('Hello Ada!')], [assistantMessage('Your name is Ada.')]]);
    const agent = new Agent({ name: 'Assistant', instructions: 'Be brief.', model });
    const session = new OpenAIAgentsSession({ store, ...ids() });

    const first = await run(agent, 'Hi, I am Ada.', { session });
    expect(first.finalOutput).toBe('Hello Ada!');
    const second = await run(agent, 'What is my name?', { session });
    expect(second.finalOutput).toBe('Your name is Ada.');

    expect(inputTexts(model.requests[1])).toEqual([
      'user: Hi, I am Ada.',
      'assistant: Hello Ada!',
      'user: What is my name?',
    ]);
    expect(itemTexts(await session.getItems())).toEqual([
      'user: Hi, I am Ada.',
      'assistant: Hello Ada!',
      'user: What is my name?',
      'assistant: Your name is Ada.',
    ]);
  });

  it('keeps tool calls and reasoning items exactly, and a resumed session object sees them', async () => {
    const getWeather = tool({
      name: 'get_weather',
      description: 'Weather of a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => `Sunny in ${city}, 21°C`,
    });
    const model = new ScriptedModel([
      [reasoning('which tool'), functionCall('get_weather', { city: 'Paris' }, 'call_w1')],
      [assistantMessage('It is sunny in Paris.')],
      [assistantMessage('Still sunny.')],
    ]);
    const agent = new Agent({ name: 'Weather', instructions: 'Use tools.', model, tools: [getWeather] });
    const sessionIds = ids();
    const session = new OpenAIAgentsSession({ store, ...sessionIds });
    await run(agent, 'Weather in Paris?', { session });

    const stored = await session.getItems();
    expect(stored.map((item) => item.type ?? 'message')).toEqual([
      'message',
      'reasoning',
      'function_call',
      'function_call_result',
      'message',
    ]);
    const call = stored[2] as Extract<AgentInputItem, { type: 'function_call' }>;
    expect(call).toMatchObject({ callId: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}' });
    const result = stored[3] as Extract<AgentInputItem, { type: 'function_call_result' }>;
    expect(result).toMatchObject({ callId: 'call_w1', output: { type: 'text', text: 'Sunny in Paris, 21°C' } });
    expect(stored[1]).toMatchObject({ type: 'reasoning', providerData: { encrypted_content: 'gAAAA-opaque' } });

    // A new process: a new session object from the same ids reads the same history.
    const resumed = new OpenAIAgentsSession({ store, ...sessionIds });
    expect(await resumed.getItems()).toEqual(stored);
    await run(agent, 'And now?', { session: resumed });
    const lastInput = model.requests[2]?.input as AgentInputItem[];
    expect(lastInput.slice(0, stored.length)).toEqual(stored);
    expect(inputTexts(model.requests[2]).at(-1)).toBe('user: And now?');
  });

  it('shares one session between a triage agent and the specialist it hands off to', async () => {
    const specialistModel = new ScriptedModel([[assistantMessage('Refund issued.')], [assistantMessage('Within 5 days.')]]);
    const specialist = new Agent({ name: 'Billing', instructions: 'Handle billing.', model: specialistModel });
    const triageModel = new ScriptedModel([[functionCall('transfer_to_Billing', {}, 'call_h1')]]);
    const triage = Agent.create({ name: 'Triage', instructions: 'Route.', model: triageModel, handoffs: [specialist] });
    const session = new OpenAIAgentsSession({ store, ...ids() });

    const first = await run(triage, 'I want a refund.', { session });
    expect(first.lastAgent?.name).toBe('Billing');
    expect(first.finalOutput).toBe('Refund issued.');
    // The specialist saw what happened before the handoff.
    expect(inputTexts(specialistModel.requests[0])).toEqual([
      'user: I want a refund.',
      'call transfer_to_Billing',
      'result transfer_to_Billing',
    ]);

    // Turn 2 goes to the specialist directly, over the same session: it sees turn 1 whole.
    await run(specialist, 'When will I get it?', { session });
    expect(inputTexts(specialistModel.requests[1])).toEqual([
      'user: I want a refund.',
      'call transfer_to_Billing',
      'result transfer_to_Billing',
      'assistant: Refund issued.',
      'user: When will I get it?',
    ]);
  });

  it('persists streamed runs', async () => {
    const model = new ScriptedModel([[assistantMessage('Streamed hello.')], [assistantMessage('Streamed again.')]]);
    const agent = new Agent({ name: 'Streamer', instructions: 'Stream.', model });
    const sessionIds = ids();
    const session = new OpenAIAgentsSession({ store, ...sessionIds });

    const stream = await run(agent, 'Hello there', { session, stream: true });
    let text = '';
    for await (const event of stream.toTextStream()) text += event;
    await stream.completed;
    expect(text).toBe('Streamed hello.');

    const again = await run(agent, 'Once more', { session: new OpenAIAgentsSession({ store, ...sessionIds }), stream: true });
    await again.completed;
    expect(again.finalOutput).toBe('Streamed again.');
    expect(inputTexts(model.requests[1])).toEqual(['user: Hello there', 'assistant: Streamed hello.', 'user: Once more']);
    expect(itemTexts(await session.getItems())).toEqual([
      'user: Hello there',
      'assistant: Streamed hello.',
      'user: Once more',
      'assistant: Streamed again.',
    ]);
  });

  it('sends only the newest historyLimit items to the model', async () => {
    const model = new ScriptedModel([[assistantMessage('one')], [assistantMessage('two')], [assistantMessage('three')]]);
    const agent = new Agent({ name: 'Short', instructions: 'Short memory.', model });
    const session = new OpenAIAgentsSession({ store, ...ids(), historyLimit: 2 });
    await run(agent, 'a', { session });
    await run(agent, 'b', { session });
    await run(agent, 'c', { session });
    expect(inputTexts(model.requests[2])).toEqual(['user: b', 'assistant: two', 'user: c']);
    expect(await session.getItems(10)).toHaveLength(6);
  });

  it('stores a compaction returned by the model as one atomic replacement', async () => {
    const model = new ScriptedModel([
      [assistantMessage('one')],
      [{ type: 'compaction', encrypted_content: 'enc-summary' }, assistantMessage('two')],
      [assistantMessage('three')],
    ]);
    const agent = new Agent({ name: 'Compacting', instructions: 'x', model });
    const sessionIds = ids();
    const session = new OpenAIAgentsSession({ store, ...sessionIds });
    await run(agent, 'a', { session });
    await run(agent, 'b', { session });
    expect(itemTexts(await session.getItems())).toEqual(['compaction', 'assistant: two']);
    await run(agent, 'c', { session });
    expect(inputTexts(model.requests[2])).toEqual(['compaction', 'assistant: two', 'user: c']);
    // The replaced items are gone from the store: it holds exactly the history.
    const log = await store.getMessages(sessionIds.userId, sessionIds.sessionId);
    expect(itemTexts(log.map((entry) => entry.message as AgentInputItem))).toEqual(['compaction', 'assistant: two', 'user: c', 'assistant: three']);
  });

  it('keeps the executed tool calls of a blocked output through a history transaction', async () => {
    const lookup = tool({
      name: 'lookup',
      description: 'Looks a customer up',
      parameters: z.object({ q: z.string() }),
      execute: async () => 'customer #42',
    });
    const model = new ScriptedModel([
      [functionCall('lookup', { q: 'ada' }, 'call_l1')],
      [assistantMessage('The secret code is 1234.')],
      [assistantMessage('I found customer #42.')],
    ]);
    const agent = new Agent({
      name: 'Guarded',
      instructions: 'x',
      model,
      tools: [lookup],
      outputGuardrails: [
        {
          name: 'no-secrets',
          execute: async ({ agentOutput }) => ({ tripwireTriggered: String(agentOutput).includes('secret'), outputInfo: {} }),
        },
      ],
    });
    const sessionIds = ids();
    const session = new OpenAIAgentsSession({ store, ...sessionIds });
    await expect(run(agent, 'Find Ada', { session })).rejects.toBeInstanceOf(OutputGuardrailTripwireTriggered);
    // The user turn and the executed tool call survive; the blocked answer does not.
    expect(itemTexts(await session.getItems())).toEqual(['user: Find Ada', 'call lookup', 'result lookup']);
    // The store holds exactly these items, no bookkeeping records.
    const log = await store.getMessages(sessionIds.userId, sessionIds.sessionId);
    expect(itemTexts(log.map((entry) => entry.message as AgentInputItem))).toEqual(['user: Find Ada', 'call lookup', 'result lookup']);

    await run(agent, 'Try again', { session });
    expect(inputTexts(model.requests[2])).toEqual(['user: Find Ada', 'call lookup', 'result lookup', 'user: Try again']);
  });
});
