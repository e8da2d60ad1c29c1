import type { SessionStore } from '@sessions/core';
import { convertToModelMessages, simulateReadableStream, stepCountIs, streamText, tool, validateUIMessages, type UIMessage } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
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

  it('stores a continued newest message as a new version, never rewriting the chat', async () => {
    const chatId = await chats.createChat();
    const assistant: UIMessage = { id: 'a1', role: 'assistant', parts: [{ type: 'text', text: 'Part one.' }] };
    await chats.saveChat({ chatId, messages: [userMessage('u1', 'go'), assistant] });
    expect(await chats.saveChat({ chatId, messages: [userMessage('u1', 'go'), assistant] })).toEqual({ appended: 0 });

    const continued: UIMessage = { ...assistant, parts: [...assistant.parts, { type: 'text', text: 'Part two.' }] };
    expect(await chats.saveChat({ chatId, messages: [userMessage('u1', 'go'), continued] })).toEqual({ appended: 1 });
    expect(await chats.loadChat(chatId)).toEqual([userMessage('u1', 'go'), continued]);
    expect(await store.getMessages(userId, chatId)).toHaveLength(3);
  });

  it('appends what is missing when the client sends only its newest message', async () => {
    const chatId = await chats.createChat();
    await chats.saveChat({ chatId, messages: [userMessage('u1', 'a'), userMessage('u2', 'b')] });
    expect(await chats.saveChat({ chatId, messages: [userMessage('u3', 'c')] })).toEqual({ appended: 1 });
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
