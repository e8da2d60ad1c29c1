// Turns stored messages into DOM nodes. Only textContent is ever set from stored data, never
// HTML: a message can hold anything, and the page must not run or render what it holds.

/** Builds an element with a class and optional text. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function pretty(value) {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

/** The text of a content field: a string, or an array of parts with text. */
function contentText(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? '' : pretty(content);
  return content
    .map((part) => {
      if (typeof part === 'string') return part;
      if (part && typeof part.text === 'string') return part.text;
      if (part && typeof part.refusal === 'string') return `(refused) ${part.refusal}`;
      if (part && part.type) return `[${part.type}]`;
      return pretty(part);
    })
    .join('\n');
}

const LANGCHAIN_TYPES = new Set(['human', 'ai', 'system', 'tool', 'generic', 'function', 'chat', 'developer']);

/**
 * What a stored item is: OpenAI Agents items (messages, function calls and results, reasoning,
 * handoffs), AI SDK UIMessages (parts), LangChain messages (`{ type, data }`), or plain JSON.
 * Returns `{ kind, role, title, badge, parts: [{ label, text } | { label, json }] }`.
 */
export function describeItem(item) {
  if (item === null || typeof item !== 'object') return { kind: 'item', title: 'value', parts: [{ json: item }] };
  const badge = typeof item.agent === 'string' ? item.agent : undefined;
  // AI SDK UIMessage
  if (Array.isArray(item.parts) && typeof item.role === 'string') {
    const parts = [];
    for (const part of item.parts) {
      if (!part || typeof part !== 'object') continue;
      if (part.type === 'text') parts.push({ text: part.text });
      else if (part.type === 'reasoning') parts.push({ label: 'reasoning', text: part.text });
      else if (part.type === 'step-start') continue;
      else if (typeof part.type === 'string' && (part.type.startsWith('tool-') || part.type === 'dynamic-tool')) {
        const name = part.type === 'dynamic-tool' ? part.toolName : part.type.slice(5);
        parts.push({ label: `tool ${name} (${part.state ?? 'call'}) input`, json: part.input });
        if (part.output !== undefined) parts.push({ label: `tool ${name} output`, json: part.output });
        if (part.errorText) parts.push({ label: `tool ${name} error`, text: part.errorText });
      } else parts.push({ label: part.type, json: part });
    }
    return { kind: 'message', role: item.role, title: item.role, badge, parts };
  }
  // LangChain serialized message
  if (typeof item.type === 'string' && LANGCHAIN_TYPES.has(item.type) && item.data && typeof item.data === 'object') {
    const role = { human: 'user', ai: 'assistant', system: 'system', developer: 'system' }[item.type] ?? item.type;
    const parts = [];
    const text = contentText(item.data.content);
    if (text) parts.push({ text });
    if (Array.isArray(item.data.tool_calls) && item.data.tool_calls.length > 0) {
      for (const call of item.data.tool_calls) parts.push({ label: `call ${call.name ?? ''}`, json: call.args ?? call });
    }
    if (item.type === 'tool') return { kind: 'tool-result', title: `tool result ${item.data.name ?? ''}`.trim(), badge: item.data.tool_call_id, parts };
    return { kind: 'message', role, title: role, badge, parts };
  }
  // OpenAI Agents items
  switch (item.type) {
    case 'function_call': {
      const handoff = typeof item.name === 'string' && item.name.startsWith('transfer_to_');
      return {
        kind: handoff ? 'handoff' : 'tool-call',
        title: handoff ? `handoff → ${item.name.slice('transfer_to_'.length)}` : `call ${item.name}`,
        badge,
        parts: [{ label: `arguments · ${item.callId ?? item.call_id ?? ''}`, text: pretty(item.arguments ?? {}) }],
      };
    }
    case 'function_call_result':
    case 'function_call_output': {
      const output = item.output && typeof item.output === 'object' && typeof item.output.text === 'string' ? item.output.text : item.output;
      return { kind: 'tool-result', title: `result${item.name ? ` of ${item.name}` : ''}`, badge, parts: [{ label: `output · ${item.callId ?? item.call_id ?? ''}`, text: pretty(output) }] };
    }
    case 'reasoning':
      return { kind: 'reasoning', title: 'reasoning', badge, parts: [{ text: contentText(item.content ?? item.rawContent ?? item.summary) }] };
    case 'handoff_call':
    case 'handoff_output':
      return { kind: 'handoff', title: item.type.replace('_', ' '), badge, parts: [{ json: item }] };
    case 'compaction':
      return { kind: 'item', title: 'compaction', badge, parts: [{ json: item }] };
    default:
      break;
  }
  if (typeof item.role === 'string' && (item.type === undefined || item.type === 'message')) {
    return { kind: 'message', role: item.role, title: item.role, badge, parts: [{ text: contentText(item.content) }] };
  }
  return { kind: 'item', title: typeof item.type === 'string' ? item.type : 'item', badge, parts: [{ json: item }] };
}

/**
 * One transcript entry: the rendered item, its seq and time, a "raw JSON" toggle and, unless
 * the inspector is read-only, a "fork here" button.
 */
export function renderMessage(stored, { readOnly, onFork }) {
  const described = describeItem(stored.message);
  const li = el('li', `message kind-${described.kind}${described.role ? ` role-${described.role}` : ''}`);
  li.dataset.seq = String(stored.seq);
  const head = el('header');
  head.append(el('span', 'kind', described.title));
  if (described.badge) head.append(el('span', 'badge', described.badge));
  head.append(el('span', 'seq', `#${stored.seq}`));
  head.append(el('time', 'time', new Date(stored.createdAt).toLocaleString()));
  const tools = el('span', 'tools');
  const raw = el('button', 'raw-toggle', 'raw JSON');
  raw.type = 'button';
  tools.append(raw);
  if (!readOnly) {
    const fork = el('button', 'fork', 'fork here');
    fork.type = 'button';
    fork.title = `Copy this session up to message #${stored.seq} into a new session`;
    fork.addEventListener('click', () => onFork(stored.seq));
    tools.append(fork);
  }
  head.append(tools);
  li.append(head);
  const body = el('div', 'body');
  for (const part of described.parts) {
    const block = el('div', 'part');
    if (part.label) block.append(el('div', 'part-label', part.label));
    if (part.json !== undefined) block.append(el('pre', '', pretty(part.json)));
    else block.append(el('p', 'text', part.text ?? ''));
    body.append(block);
  }
  const rawBlock = el('pre', 'raw', JSON.stringify(stored.message, null, 2));
  rawBlock.hidden = true;
  raw.addEventListener('click', () => {
    rawBlock.hidden = !rawBlock.hidden;
    body.hidden = !rawBlock.hidden;
  });
  li.append(body, rawBlock);
  return li;
}
