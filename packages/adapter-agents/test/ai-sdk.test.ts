import type { SessionStore } from '@sessions/core';
import { convertToModelMessages, simulateReadableStream, stepCountIs, streamText, tool, validateUIMessages, type UIMessage } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UIMessageChatStore } from '../src/ai-sdk/index.js';
import { testBackends } from './support/backends.js';

type StreamPart = Record<string, unknown> & { type: string };

const usage = {
  inputTokens: { total: 3, noCache: 3, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};
const textStep = (text: string): StreamPart[] => [
  { type: 'text-start', id: 't' },
  { type: 'text-delta', id: 't', delta: text },
  { type: 'text-end', id: 't' },
  { type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage },
];
const toolStep = (toolCallId: string, toolName: string, input: object): StreamPart[] => [
  { type: 'tool-call', toolCallId, toolName, input: JSON.stringify(input) },
  { type: 'finish', finishReason: { unified: 'tool-calls', raw: undefined }, usage },
];

/** A language model that streams one scripted step per call and records the prompts. */
function scriptedModel(steps: StreamPart[][]) {
  const queue = [...steps];
  return new MockLanguageModelV3({
    doStream: async () => ({ stream: simulateReadableStream({ chunks: queue.shift() ?? [] }) as never }),
  });
}

const userMessage = (id: string, text: string): UIMessage => ({ id, role: 'user', parts: [{ type: 'text', text }] });

describe.each(testBackends())('UIMessageChatStore over $name', (backend) => {
  let store: SessionStore;
  let chats: UIMessageChatStore;
  let counter = 0;
  const userId = `user-${backend.name}`;

  beforeAll(async () => {
    store = await backend.create();
    chats = new UIMessageChatStore({ store, userId });
  });
  afterAll(async () => {
    await store.close();
  });

  /** One chat turn the way an AI SDK route handler does it: load, stream, save in onFinish. */
  async function chatTurn(chatId: string, incoming: UIMessage, model: MockLanguageModelV3, tools = {}) {
    const previous = await chats.loadChat(chatId);
    const messages = [...previous, incoming];
    let saved: UIMessage[] = [];
    let appended = -1;
    const result = streamText({ model, messages: await convertToModelMessages(messages), tools, stopWhen: stepCountIs(3) });
    const response = result.toUIMessageStreamResponse({
      originalMessages: messages,
      generateMessageId: () => `srv-${(counter += 1)}`,
      onFinish: async ({ messages: all }) => {
        saved = all;
        appended = (await chats.saveChat({ chatId, messages: all })).appended;
      },
    });
    await response.text();
    return { saved, appended };
  }

  it('saves each turn incrementally and loads the chat back for the next turn', async () => {
    const chatId = await chats.createChat();
    const model = scriptedModel([textStep('Hello Ada!'), textStep('You are Ada.')]);

    const first = await chatTurn(chatId, userMessage('u1', 'I am Ada'), model);
    expect(first.appended).toBe(2);
    const second = await chatTurn(chatId, userMessage('u2', 'Who am I?'), model);
    expect(second.appended).toBe(2);

    // Only new messages were written: four in the store, not 2 + 4.
    expect(await store.getMessages(userId, chatId)).toHaveLength(4);
    const loaded = await chats.loadChat(chatId);
    expect(loaded).toEqual(JSON.parse(JSON.stringify(second.saved)));
    expect(await validateUIMessages({ messages: loaded })).toHaveLength(4);
    // The model saw turn 1 in turn 2.
    expect(JSON.stringify(model.doStreamCalls[1]?.prompt)).toContain('Hello Ada!');
  });

  it('keeps tool parts exactly', async () => {
    const chatId = await chats.createChat();
    const model = scriptedModel([toolStep('call-1', 'weather', { city: 'Paris' }), textStep('Sunny in Paris.')]);
    const weather = tool({
      description: 'Weather of a city',
      inputSchema: z.object({ city: z.string() }),
      execute: async ({ city }) => ({ city, forecast: 'sunny', celsius: 21 }),
    });
    const { saved } = await chatTurn(chatId, userMessage('u1', 'Weather?'), model, { weather });
    const loaded = await chats.loadChat(chatId);
    expect(loaded).toEqual(JSON.parse(JSON.stringify(saved)));
    const toolPart = loaded[1]?.parts.find((part) => part.type === 'tool-weather');
    expect(toolPart).toMatchObject({
      toolCallId: 'call-1',
      state: 'output-available',
      input: { city: 'Paris' },
      output: { city: 'Paris', forecast: 'sunny', celsius: 21 },
    });
    const validated = await validateUIMessages({ messages: loaded });
    expect(await convertToModelMessages(validated)).toHaveLength(4);
  });

  it('replaces a continued newest message in the store', async () => {
    const chatId = await chats.createChat();
    const assistant: UIMessage = { id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'Part one.' }] };
    await chats.saveChat({ chatId, messages: [userMessage('u1', 'go'), assistant] });
    expect(await chats.saveChat({ chatId, messages: [userMessage('u1', 'go'), assistant] })).toEqual({ appended: 0, removed: 0 });

    const continued: UIMessage = { ...assistant, parts: [...assistant.parts, { type: 'text', text: 'Part two.' }] };
    expect(await chats.saveChat({ chatId, messages: [userMessage('u1', 'go'), continued] })).toEqual({ appended: 1, removed: 1 });
    expect(await chats.loadChat(chatId)).toEqual([userMessage('u1', 'go'), continued]);
    // The first version is gone: the store holds exactly the chat, with a new seq for the new version.
    const log = await store.getMessages(userId, chatId);
    expect(log.map((entry) => entry.message)).toEqual([userMessage('u1', 'go'), continued]);
    expect(log.map((entry) => entry.seq)).toEqual([1, 3]);
  });

  it('replaces a regenerated answer in one atomic write', async () => {
    const chatId = await chats.createChat();
    const answer = (id: string, text: string): UIMessage => ({ id, role: 'assistant', parts: [{ type: 'text', text }] });
    await chats.saveChat({ chatId, messages: [userMessage('u1', 'joke?'), answer('a1', 'Knock knock.')] });
    // regenerate(): the client drops a1 and the new answer gets a new id.
    const regenerated = [userMessage('u1', 'joke?'), answer('a2', 'Why did the chicken...')];
    expect(await chats.saveChat({ chatId, messages: regenerated })).toEqual({ appended: 1, removed: 1 });
    expect(await chats.loadChat(chatId)).toEqual(regenerated);
    expect(await chats.loadChat(chatId, { limit: 1 })).toEqual([regenerated[1]]);
  });

  it('loads exactly the chat last saved, whatever the client did in between', async () => {
    type Step = { kind: 'add'; count: number } | { kind: 'edit-last' } | { kind: 'drop'; count: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), count: fc.integer({ min: 1, max: 3 }) }),
      fc.constant({ kind: 'edit-last' as const }),
      fc.record({ kind: fc.constant('drop' as const), count: fc.integer({ min: 1, max: 3 }) }),
    );
    let ids = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const chatId = await chats.createChat();
        let chat: UIMessage[] = [];
        for (const change of steps) {
          if (change.kind === 'add') {
            for (let i = 0; i < change.count; i += 1) chat = [...chat, userMessage(`p${(ids += 1)}`, `text ${ids}`)];
          } else if (change.kind === 'edit-last' && chat.length > 0) {
            const last = chat.at(-1) as UIMessage;
            chat = [...chat.slice(0, -1), { ...last, parts: [...last.parts, { type: 'text', text: 'more' }] }];
          } else if (change.kind === 'drop' && chat.length > 0) {
            // A regenerate: drop the tail, then continue with a fresh message. It keeps at least
            // one stored message (the user turn): a list sharing none with the stored chat
            // means "only my new messages", by design.
            chat = [...chat.slice(0, Math.max(1, chat.length - change.count)), userMessage(`p${(ids += 1)}`, 'again')];
          }
          await chats.saveChat({ chatId, messages: chat });
          expect(await chats.loadChat(chatId)).toEqual(chat);
          // The store holds exactly the chat: replaced messages are removed, not hidden.
          expect((await store.getMessages(userId, chatId)).map((entry) => entry.message)).toEqual(chat);
        }
      }),
      { numRuns: backend.name === 'memory' ? 40 : 10 },
    );
  });

  it('appends what is missing when the client sends only its newest message', async () => {
    const chatId = await chats.createChat();
    await chats.saveChat({ chatId, messages: [userMessage('u1', 'a'), userMessage('u2', 'b')] });
    expect(await chats.saveChat({ chatId, messages: [userMessage('u3', 'c')] })).toEqual({ appended: 1, removed: 0 });
    expect((await chats.loadChat(chatId)).map((message) => message.id)).toEqual(['u1', 'u2', 'u3']);
  });

  it('never duplicates a message when the same chat is saved concurrently', async () => {
    const chatId = await chats.createChat();
    const messages = [userMessage('u1', 'a'), userMessage('u2', 'b'), userMessage('u3', 'c')];
    const results = await Promise.all([1, 2, 3, 4].map(() => chats.saveChat({ chatId, messages })));
    expect(results.reduce((sum, result) => sum + result.appended, 0)).toBe(3);
    expect(await chats.loadChat(chatId)).toEqual(messages);
  });

  it('rejects a message without an id and writes nothing', async () => {
    const chatId = `no-id-${backend.name}`;
    const bad = chats.saveChat({ chatId, messages: [{ role: 'user', parts: [] } as unknown as UIMessage] });
    await expect(bad).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await store.getSession(userId, chatId)).toBeNull();
    expect(await chats.loadChat(chatId)).toEqual([]);
  });
});
