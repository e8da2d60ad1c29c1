import { Agent, run } from '@openai/agents-core';
import { OpenAIResponsesCompactionSession } from '@openai/agents-openai';
import type { SessionStore } from '@sessions/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIAgentsSession } from '../src/openai/index.js';
import { testBackends } from './support/backends.js';
import { ScriptedModel, assistantMessage, inputTexts, itemTexts } from './support/scripted-model.js';

/** A stand-in for the OpenAI client: `responses.compact` returns a scripted compaction. */
function compactingClient() {
  const requests: unknown[] = [];
  const client = {
    responses: {
      compact: async (request: unknown) => {
        requests.push(structuredClone(request));
        return {
          output: [
            { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'summary of earlier turns' }] },
            { type: 'compaction', encrypted_content: `enc-${requests.length}` },
          ],
          usage: { input_tokens: 10, output_tokens: 2, total_tokens: 12 },
        };
      },
    },
  };
  return { client, requests };
}

// The SDK's compaction wrapper (@openai/agents-openai) over this session: it keeps working on
// every backend. Note: in agents-openai 0.20 the wrapper replaces the history with
// clearSession() + addItems(), not with replaceHistoryWithCompaction (see docs/agents.md).
describe.each(testBackends())('OpenAIResponsesCompactionSession over OpenAIAgentsSession on $name', (backend) => {
  let store: SessionStore;
  beforeAll(async () => {
    store = await backend.create();
  });
  afterAll(async () => {
    await store.close();
  });

  it('compacts after a turn, and the next turn starts from the compacted history', async () => {
    const { client, requests } = compactingClient();
    const underlying = new OpenAIAgentsSession({ store, userId: 'wrapper', sessionId: `compact-${backend.name}` });
    const session = new OpenAIResponsesCompactionSession({
      client: client as never,
      underlyingSession: underlying,
      compactionMode: 'input',
      shouldTriggerCompaction: ({ compactionCandidateItems }) => compactionCandidateItems.length >= 2,
    });
    const model = new ScriptedModel([[assistantMessage('one')], [assistantMessage('two')], [assistantMessage('three')]]);
    const agent = new Agent({ name: 'Compacted', instructions: 'x', model });

    await run(agent, 'a', { session });
    expect(requests).toHaveLength(0);
    await run(agent, 'b', { session });
    expect(requests).toHaveLength(1);
    expect(itemTexts(await underlying.getItems())).toEqual(['user: summary of earlier turns', 'compaction']);

    await run(agent, 'c', { session });
    // The runner sends the model what follows the newest compaction item.
    expect(inputTexts(model.requests[2])).toEqual(['compaction', 'user: c']);
    // A new session object over the same ids sees the compacted history.
    const reopened = new OpenAIAgentsSession({ store, userId: 'wrapper', sessionId: `compact-${backend.name}` });
    expect(itemTexts(await reopened.getItems()).slice(0, 2)).toEqual(['user: summary of earlier turns', 'compaction']);
  });
});
