import { AIMessage, HumanMessage, mapChatMessagesToStoredMessages, type BaseMessage } from '@langchain/core/messages';
import { kilobyteMessage } from '../measure.js';

/**
 * The benchmarks' 1 KB message as a LangChain chat message (same text, same role), what a
 * LangChain chat history stores: about the same bytes on the server as the store's message.
 */
export function kilobyteChatMessage(i: number): BaseMessage {
  const { role, content, n } = kilobyteMessage(i);
  const fields = { content, additional_kwargs: { n } };
  return role === 'user' ? new HumanMessage(fields) : new AIMessage(fields);
}

/** The JSON a LangChain list history keeps per message (`{ type, data }`), for bulk fills. */
export function storedChatMessageJson(i: number): string {
  return JSON.stringify(mapChatMessagesToStoredMessages([kilobyteChatMessage(i)])[0]);
}
