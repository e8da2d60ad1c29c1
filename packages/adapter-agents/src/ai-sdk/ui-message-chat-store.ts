import { isSessionStoreError, storeErrors, type JsonObject, type SessionStore, type StoredMessage } from '@sessions/core';
import type { UIMessage } from 'ai';
import { canonicalJson } from '../shared/canonical-json.js';
import { readHistoryTail } from '../shared/history-log.js';

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
  /** How many messages were appended (new ones, and new versions of changed ones). */
  appended: number;
  /** How many stored messages the save replaced or removed. */
  removed: number;
}

/**
 * AI SDK (`ai`) chats stored as `UIMessage`s, one store message per UI message, over any
 * `SessionStore`: a chat is a session, its id the chat id.
 *
 * `saveChat` takes the whole chat, as the AI SDK's `onFinish({ messages })` hands it over, and
 * writes only the difference with what is stored, matched by message id, in ONE
 * compare-and-append: two concurrent saves never duplicate a message. Where the given chat no
 * longer holds the newest stored messages (a continued assistant message with the same id, a
 * regenerated answer), the save is one `replaceTail` that removes them and appends what
 * replaces them, so the store holds exactly the chat that was saved.
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

  /** The chat's messages, oldest first (`[]` for an unknown chat); with `limit`, the newest `limit`. */
  async loadChat(chatId: string, options: { limit?: number } = {}): Promise<M[]> {
    const { items } = await readHistoryTail(this.#store, this.#userId, chatId, options.limit);
    // Stored as the UIMessages saveChat was given; the store's type knows only JSON objects.
    return items.map((entry) => entry.message as unknown as M);
  }

  /** Writes what `messages` adds to or changes in the stored chat; see the class comment. */
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
    const tail = await readHistoryTail(this.#store, this.#userId, chatId, 1);
    let stored = tail.items;
    let plan: SavePlan<M>;
    let lastSeq = tail.lastSeq;
    const newest = stored[0]?.message;
    if (!newest) {
      plan = { drop: 0, append: messages };
    } else {
      const at = messages.findLastIndex((message) => message.id === newest['id']);
      if (at >= 0) {
        // The usual case: the chat goes on after the newest stored message (or changes it).
        plan = diffFrom(newest, messages, at, 0);
      } else {
        // The newest stored message is not in the list: read the stored chat once to tell a
        // client that sent only its new message from one that dropped stored messages.
        const whole = await readHistoryTail(this.#store, this.#userId, chatId);
        lastSeq = whole.lastSeq;
        stored = whole.items;
        plan = diffAgainst(stored.map((entry) => entry.message), messages);
      }
    }
    if (plan.append.length === 0 && plan.drop === 0) return { appended: 0, removed: 0 };
    // UIMessages are JSON objects at run time; the store checks each one before writing.
    const batch = plan.append as unknown as JsonObject[];
    if (plan.drop === 0) {
      await this.#store.append(this.#userId, chatId, batch, { expectedLastSeq: lastSeq });
    } else {
      // Everything after the newest message kept goes (in a chat saved by an earlier version,
      // with the edit records among it), replaced by the new messages, in one atomic step.
      const firstDropped = stored[stored.length - plan.drop] as StoredMessage;
      await this.#store.replaceTail(this.#userId, chatId, { afterSeq: firstDropped.seq - 1, messages: batch }, { expectedLastSeq: lastSeq });
    }
    return { appended: plan.append.length, removed: plan.drop };
  }
}

/** What one save writes: remove the `drop` newest stored messages, then append `append`. */
interface SavePlan<M> {
  drop: number;
  append: M[];
}

/** The plan when `messages[at]` is the stored message `dropped` places from the end. */
function diffFrom<M extends UIMessage>(stored: JsonObject, messages: M[], at: number, dropped: number): SavePlan<M> {
  const changed = canonicalJson(messages[at]) !== canonicalJson(stored);
  return changed
    ? { drop: dropped + 1, append: messages.slice(at) }
    : { drop: dropped, append: messages.slice(at + 1) };
}

/** The plan against the whole stored chat, when its newest message is not in `messages`. */
function diffAgainst<M extends UIMessage>(stored: JsonObject[], messages: M[]): SavePlan<M> {
  const positions = new Map(messages.map((message, index) => [message.id, index]));
  for (let index = stored.length - 1; index >= 0; index -= 1) {
    const entry = stored[index] as JsonObject;
    const at = positions.get(entry['id'] as string);
    // The newest stored message the client still has: what follows it in the store was
    // dropped by the client (a regenerated answer) and is replaced by what follows in its list.
    if (at !== undefined) return diffFrom(entry, messages, at, stored.length - 1 - index);
  }
  // No stored message in the list: the client sent only its new messages.
  const storedIds = new Set(stored.map((entry) => entry['id']));
  return { drop: 0, append: messages.filter((message) => !storedIds.has(message.id)) };
}
