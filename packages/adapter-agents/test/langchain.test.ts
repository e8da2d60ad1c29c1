import { AIMessage, HumanMessage, SystemMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import { ChatPromptTemplate, MessagesPlaceholder } from '@langchain/core/prompts';
import { RunnableLambda, RunnableWithMessageHistory } from '@langchain/core/runnables';
import type { SessionStore } from '@sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionChatMessageHistory } from '../src/langchain/index.js';
import { testBackends } from './support/backends.js';

describe.each(testBackends())('SessionChatMessageHistory over $name', (backend) => {
  let store: SessionStore;
  let n = 0;
  const userId = `user-${backend.name}`;
  const history = (options: { sessionId?: string; historyLimit?: number } = {}) =>
    new SessionChatMessageHistory({ store, userId, sessionId: options.sessionId ?? `lc-${(n += 1)}`, ...options });

  beforeAll(async () => {
    store = await backend.create();
  });
  afterAll(async () => {
    await store.close();
  });

  it('keeps every message field, tool calls included', async () => {
    const messages: BaseMessage[] = [
      new SystemMessage({ content: 'You are terse.', id: 's1' }),
      new HumanMessage({
        content: [
          { type: 'text', text: 'Weather in Paris? 🌦' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
        ],
        id: 'h1',
        name: 'ada',
        additional_kwargs: { locale: 'fr-FR' },
      }),
      new AIMessage({
        content: '',
        id: 'a1',
        tool_calls: [{ id: 'call-1', name: 'get_weather', args: { city: 'Paris', days: 2 }, type: 'tool_call' }],
        invalid_tool_calls: [{ id: 'call-2', name: 'broken', args: '{oops', error: 'bad json', type: 'invalid_tool_call' }],
        usage_metadata: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
        response_metadata: { model_name: 'm', finish_reason: 'tool_calls' },
      }),
      new ToolMessage({ content: 'sunny', tool_call_id: 'call-1', name: 'get_weather', artifact: { raw: [1, 2] }, status: 'success', id: 't1' }),
    ];
    const chat = history();
    await chat.addMessages(messages);
    const back = await history({ sessionId: chat.sessionId }).getMessages();
    expect(back.map((message) => message.constructor.name)).toEqual(['SystemMessage', 'HumanMessage', 'AIMessage', 'ToolMessage']);
    expect(back.map((message) => message.toDict())).toEqual(JSON.parse(JSON.stringify(messages.map((message) => message.toDict()))));
    expect((back[2] as AIMessage).tool_calls).toEqual([
      { id: 'call-1', name: 'get_weather', args: { city: 'Paris', days: 2 }, type: 'tool_call' },
    ]);
    expect((back[3] as ToolMessage).tool_call_id).toBe('call-1');
    expect((back[3] as ToolMessage).artifact).toEqual({ raw: [1, 2] });
  });

  it('adds in one append, limits reads and clears', async () => {
    const chat = history({ historyLimit: 2 });
    await chat.addUserMessage('one');
    await chat.addAIMessage('two');
    await chat.addMessages([new HumanMessage('three')]);
    expect((await chat.getMessages()).map((message) => message.content)).toEqual(['two', 'three']);
    await chat.clear();
    expect(await chat.getMessages()).toEqual([]);
  });

  it('gives RunnableWithMessageHistory the earlier turns', async () => {
    const seen: BaseMessage[][] = [];
    const model = RunnableLambda.from(async (prompt: { toChatMessages(): BaseMessage[] }) => {
      const input = prompt.toChatMessages();
      seen.push(input);
      return new AIMessage(`reply ${seen.length}`);
    });
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'Be brief.'],
      new MessagesPlaceholder('history'),
      ['human', '{question}'],
    ]);
    const chain = new RunnableWithMessageHistory({
      runnable: prompt.pipe(model),
      getMessageHistory: (sessionId: string) => history({ sessionId }),
      inputMessagesKey: 'question',
      historyMessagesKey: 'history',
    });
    const config = { configurable: { sessionId: `chain-${backend.name}` } };
    await chain.invoke({ question: 'I am Ada.' }, config);
    await chain.invoke({ question: 'Who am I?' }, config);
    expect(seen[1]?.map((message) => `${message.getType()}: ${String(message.content)}`)).toEqual([
      'system: Be brief.',
      'human: I am Ada.',
      'ai: reply 1',
      'human: Who am I?',
    ]);
    expect(await store.getMessages(userId, `chain-${backend.name}`)).toHaveLength(4);
  });
});

