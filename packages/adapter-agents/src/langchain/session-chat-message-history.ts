import type { JsonObject, SessionStore } from '@sessions/core';
import { BaseListChatMessageHistory } from '@langchain/core/chat_history';
import {
  mapChatMessagesToStoredMessages,
  mapStoredMessagesToChatMessages,
  type BaseMessage,
  type StoredMessage as LangChainStoredMessage,
} from '@langchain/core/messages';

/** Options of {@link SessionChatMessageHistory}. */
export interface SessionChatMessageHistoryOptions {
  /** Any `@sessions` store. */
  store: SessionStore;
  /** The owner of the session. */
  userId: string;
  /** The session holding this history (LangChain's `sessionId` of `RunnableWithMessageHistory`). */
  sessionId: string;
  /** `getMessages()` returns only the newest `historyLimit` messages. @default undefined (all) */
  historyLimit?: number;
}

/**
 * LangChain.js chat history over any `SessionStore`. Each message is stored as LangChain's own
 * serialized form (`message.toDict()`: type plus every field, so `tool_calls`,
 * `tool_call_id`, `artifact`, `usage_metadata`, `response_metadata`, ids and names all come
 * back), one store message per chat message; `addMessages` is one atomic append.
 */
export class SessionChatMessageHistory extends BaseListChatMessageHistory {
  /** LangChain's serialization namespace for this class. */
  lc_namespace = ['sessions', 'adapter-agents', 'langchain'];

  readonly #store: SessionStore;
  readonly #userId: string;
  /** The session holding this history. */
  readonly sessionId: string;
  readonly #historyLimit: number | undefined;

  constructor(options: SessionChatMessageHistoryOptions) {
    super();
    this.#store = options.store;
    this.#userId = options.userId;
    this.sessionId = options.sessionId;
    this.#historyLimit = options.historyLimit;
  }

  /** The messages, oldest first, as LangChain message instances. */
  async getMessages(): Promise<BaseMessage[]> {
    const options = this.#historyLimit === undefined ? {} : { limit: this.#historyLimit };
    const stored = await this.#store.getMessages(this.#userId, this.sessionId, options);
    // Written by addMessages as LangChain's StoredMessage; the store's type knows only JSON objects.
    return mapStoredMessagesToChatMessages(stored.map((entry) => entry.message as unknown as LangChainStoredMessage));
  }

  /** Appends one message. */
  async addMessage(message: BaseMessage): Promise<void> {
    await this.addMessages([message]);
  }

  /** Appends messages in one atomic append (one round trip). */
  override async addMessages(messages: BaseMessage[]): Promise<void> {
    if (messages.length === 0) return;
    // LangChain's StoredMessage is JSON, but typed without an index signature; the store checks it.
    const stored = mapChatMessagesToStoredMessages(messages) as unknown as JsonObject[];
    await this.#store.append(this.#userId, this.sessionId, stored);
  }

  /** Removes every message; the session and its metadata stay. */
  override async clear(): Promise<void> {
    await this.#store.clearSession(this.#userId, this.sessionId);
  }
}
