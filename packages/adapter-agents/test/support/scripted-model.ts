import { Usage, type AgentInputItem, type AgentOutputItem, type Model, type ModelRequest, type ModelResponse, type StreamEvent, type StreamEventResponseCompleted } from '@openai/agents-core';

/**
 * A model with a script: each call returns the next scripted output and records the request,
 * so tests can assert on exactly what the runner sent (history included). No network.
 */
export class ScriptedModel implements Model {
  /** Every request received, in order, deep-copied. */
  readonly requests: ModelRequest[] = [];
  readonly #script: AgentOutputItem[][];
  #responses = 0;

  constructor(script: AgentOutputItem[][]) {
    this.#script = [...script];
  }

  /** How many scripted outputs are still unused. */
  get remaining(): number {
    return this.#script.length;
  }

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    // The abort signal cannot be cloned and says nothing about what the model was asked.
    const recorded: Partial<ModelRequest> = { ...request };
    delete recorded.signal;
    this.requests.push(structuredClone(recorded) as ModelRequest);
    const output = this.#script.shift();
    if (!output) throw new Error(`unexpected model call #${this.requests.length}: the script is used up`);
    this.#responses += 1;
    return { usage: new Usage(), output, responseId: `resp_${this.#responses}` };
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    const response = await this.getResponse(request);
    yield { type: 'response_started' };
    for (const item of response.output) {
      if (item.type !== 'message' || item.role !== 'assistant') continue;
      for (const part of item.content) {
        if (part.type === 'output_text') yield { type: 'output_text_delta', delta: part.text };
      }
    }
    yield {
      type: 'response_done',
      response: {
        id: response.responseId ?? 'resp',
        usage: { requests: 1, inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        output: response.output as StreamEventResponseCompleted['response']['output'],
      },
    };
  }
}

let ids = 0;

/** An assistant text message as the Responses API returns it. */
export function assistantMessage(text: string): AgentOutputItem {
  ids += 1;
  return {
    type: 'message',
    id: `msg_${ids}`,
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text }],
  };
}

/** A function call the runner will execute (or a handoff, for `transfer_to_<agent>`). */
export function functionCall(name: string, args: Record<string, unknown>, callId = `call_${(ids += 1)}`): AgentOutputItem {
  return { type: 'function_call', id: `fc_${callId}`, callId, name, status: 'completed', arguments: JSON.stringify(args) };
}

/** A reasoning item with a summary, as reasoning models return it. */
export function reasoning(summary: string): AgentOutputItem {
  ids += 1;
  return {
    type: 'reasoning',
    id: `rs_${ids}`,
    content: [{ type: 'input_text', text: summary }],
    rawContent: [{ type: 'reasoning_text', text: `thinking about ${summary}` }],
    providerData: { encrypted_content: 'gAAAA-opaque' },
  };
}

/** The text of every input item of a request, for readable assertions on what the model saw. */
export function inputTexts(request: ModelRequest | undefined): string[] {
  if (!request) return [];
  return typeof request.input === 'string' ? [`user: ${request.input}`] : itemTexts(request.input);
}

/** One readable line per item: `role: text` for messages, `call <name>` / `result <name>` for tools. */
export function itemTexts(items: AgentInputItem[]): string[] {
  return items.map((item) => {
    if ('role' in item && item.role !== undefined) {
      const content = (item as { content: unknown }).content;
      if (typeof content === 'string') return `${item.role}: ${content}`;
      const texts = (content as { text?: string }[]).map((part) => part.text ?? '').join('');
      return `${item.role}: ${texts}`;
    }
    if (item.type === 'function_call') return `call ${item.name}`;
    if (item.type === 'function_call_result') return `result ${item.name}`;
    return item.type ?? 'unknown';
  });
}
