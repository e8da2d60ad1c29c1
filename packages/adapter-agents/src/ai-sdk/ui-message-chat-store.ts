import { isSessionStoreError, storeErrors, type JsonObject, type SessionStore, type StoredMessage } from '@sessions/core';
import type { UIMessage } from 'ai';
import { canonicalJson } from '../shared/canonical-json.js';

/** Errors raised by the AI SDK adapter, prefixed `[sessions] [ai-sdk]`. */
const errors = storeErrors('ai-sdk');

/** Options of {@link UIMessageChatStore}. */
export interface UIMessageChatStoreOptions {
  /** Any `@sessions` store. */
  store: SessionStore;
  /** The owner of the chats: every chat id is looked up under this user. */
  userId: string;
  /** How many times `saveChat` retries when another save of the same chat got in between. @default 8 */
  maxRetries?: number;
}

/** Arguments of {@link UIMessageChatStore.saveChat}, the shape the AI SDK's `onFinish` hands over. */
export interface SaveChatArgs<M extends UIMessage = UIMessage> {
  chatId: string;
  /** The whole chat as the client or `onFinish({ messages })` has it; only what is new is written. */
  messages: M[];
}

/** What {@link UIMessageChatStore.saveChat} wrote. */
export interface SaveChatResult {
  /** How many messages (new ones, or a new version of the newest one) were appended. */
  appended: number;
}

/**
 * AI SDK (`ai`) chats stored as `UIMessage`s, one store message per UI message, over any
 * `SessionStore`: a chat is a session, its id the chat id.
 *
 * `saveChat` is incremental: it compares the given chat with the stored one by message id and
 * appends only what is new, in one compare-and-append, so the chat is never rewritten and two
 * concurrent saves never duplicate a message. When the newest stored message comes back
 * changed (the AI SDK continues the last assistant message after a tool approval or a resumed
 * stream, keeping its id), its new version is appended and `loadChat` returns only the latest
 * version of each message.
 */
export class UIMessageChatStore<M extends UIMessage = UIMessage> {
  readonly #store: SessionStore;
  readonly #userId: string;
  readonly #maxRetries: number;

  constructor(options: UIMessageChatStoreOptions) {
    this.#store = options.store;
    this.#userId = options.userId;
    this.#maxRetries = options.maxRetries ?? 8;
  }

  /** Creates an empty chat and returns its id (a UUID v4 unless `chatId` is given). */
  async createChat(chatId?: string): Promise<string> {
    const info = await this.#store.createSession(this.#userId, chatId === undefined ? {} : { sessionId: chatId });
    return info.id;
  }

  /** The chat's messages, oldest first (`[]` for an unknown chat). */
  async loadChat(chatId: string): Promise<M[]> {
    const stored = await this.#store.getMessages(this.#userId, chatId);
    return latestVersions(stored).map((entry) => entry.message as unknown as M);
  }

  /** Appends the messages of `messages` the store does not have yet; see the class comment. */
  async saveChat({ chatId, messages }: SaveChatArgs<M>): Promise<SaveChatResult> {
    for (const [index, message] of messages.entries()) {
      if (typeof message?.id !== 'string' || message.id === '') {
        throw errors.invalid(`messages[${index}] has no id; give every UIMessage an id (the AI SDK's generateMessageId)`);
      }
    }
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.#saveOnce(chatId, messages);
      } catch (error) {
        if (!isSessionStoreError(error, 'CONFLICT') || attempt >= this.#maxRetries) throw error;
      }
    }
  }

  /** Deletes the chat; `true` if it existed. */
  async deleteChat(chatId: string): Promise<boolean> {
    return this.#store.deleteSession(this.#userId, chatId);
  }

  async #saveOnce(chatId: string, messages: M[]): Promise<SaveChatResult> {
    const session = await this.#store.getSession(this.#userId, chatId, { limit: 1 });
    const lastSeq = session?.lastSeq ?? 0;
    const newest = session?.messages[0]?.message as { id?: string } | undefined;
    const toAppend = newest ? await this.#newSince(chatId, newest as JsonObject, messages) : messages;
    if (toAppend.length === 0) return { appended: 0 };
    await this.#store.append(this.#userId, chatId, toAppend as unknown as JsonObject[], { expectedLastSeq: lastSeq });
    return { appended: toAppend.length };
  }

  /** The messages to append after the stored `newest` message. */
  async #newSince(chatId: string, newest: JsonObject, messages: M[]): Promise<M[]> {
    const at = messages.findLastIndex((message) => message.id === newest['id']);
    if (at >= 0) {
      const changed = canonicalJson(messages[at]) !== canonicalJson(newest);
      return messages.slice(changed ? at : at + 1);
    }
    // The newest stored message is not in the list (the client sent only its new message, or
    // a trimmed chat): append what the store does not hold, which needs the stored ids once.
    const storedIds = new Set((await this.#store.getMessages(this.#userId, chatId)).map((entry) => entry.message['id']));
    return messages.filter((message) => !storedIds.has(message.id));
  }
}

/** Keeps the last version of each message: versions of one message are always adjacent. */
function latestVersions(stored: StoredMessage[]): StoredMessage[] {
  const out: StoredMessage[] = [];
  for (const entry of stored) {
    const previous = out.at(-1);
    if (previous && previous.message['id'] === entry.message['id']) out[out.length - 1] = entry;
    else out.push(entry);
  }
  return out;
}

