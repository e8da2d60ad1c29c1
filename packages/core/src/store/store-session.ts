import type { SessionStore } from '../store.js';
import type {
  AppendOptions,
  AppendResult,
  ForkSessionOptions,
  GetMessagesOptions,
  GetOrCreateSessionOptions,
  GetSessionOptions,
  JsonObject,
  MessageRewrite,
  ReadHistoryOptions,
  ReplaceTailInput,
  ReplaceTailOptions,
  ReplaceTailResult,
  RewriteMessagesOptions,
  RewriteMessagesResult,
  Session,
  SessionInfo,
  StoredMessage,
  TrimSessionOptions,
  UpdateSessionOptions,
  SessionChange,
  WatchOptions,
} from '../types.js';

/**
 * One session of one user, from {@link SessionStore.session}: every per-session call of the
 * store with the two ids bound once. Holds no state of its own: two handles on the same ids
 * see the same session.
 */
export interface StoreSession<M extends JsonObject = JsonObject> {
  readonly userId: string;
  readonly sessionId: string;
  append(messages: M | M[], options?: AppendOptions): Promise<AppendResult>;
  /** Messages in chronological order (see {@link SessionStore.getMessages}). */
  messages(options?: GetMessagesOptions): Promise<StoredMessage<M>[]>;
  /** The whole history (or what follows `afterSeq`) in bounded pages. */
  history(options?: ReadHistoryOptions): AsyncIterable<StoredMessage<M>>;
  /** The session with its newest `limit` messages, or `null`. */
  get(options?: GetSessionOptions): Promise<Session<M> | null>;
  getOrCreate(options?: GetOrCreateSessionOptions): Promise<Session<M> & { created: boolean }>;
  /** The session without messages, or `null`. */
  info(): Promise<SessionInfo | null>;
  pop(): Promise<StoredMessage<M> | null>;
  clear(): Promise<void>;
  replaceTail(input: ReplaceTailInput<M>, options?: ReplaceTailOptions): Promise<ReplaceTailResult>;
  trim(options: TrimSessionOptions): Promise<number>;
  rewrite(rewrites: MessageRewrite<M>[], options?: RewriteMessagesOptions): Promise<RewriteMessagesResult>;
  fork(options?: ForkSessionOptions): Promise<SessionInfo>;
  update(options: UpdateSessionOptions): Promise<SessionInfo>;
  delete(): Promise<boolean>;
  /** Follows the session as it changes (see {@link SessionStore.watch}). */
  watch(options?: WatchOptions): AsyncIterable<SessionChange<M>>;
}

/** Builds the handle of {@link SessionStore.session} over any store. */
export function storeSession<M extends JsonObject>(store: SessionStore<M>, userId: string, sessionId: string): StoreSession<M> {
  return {
    userId,
    sessionId,
    append: (messages, options) => store.append(userId, sessionId, messages, options),
    messages: (options) => store.getMessages(userId, sessionId, options),
    history: (options) => store.readHistory(userId, sessionId, options),
    get: (options) => store.getSession(userId, sessionId, options),
    getOrCreate: (options) => store.getOrCreateSession(userId, sessionId, options),
    info: async () => {
      const session = await store.getSession(userId, sessionId, { limit: 0 });
      if (!session) return null;
      const { messages: _messages, ...info } = session;
      return info;
    },
    pop: () => store.popMessage(userId, sessionId),
    clear: () => store.clearSession(userId, sessionId),
    replaceTail: (input, options) => store.replaceTail(userId, sessionId, input, options),
    trim: (options) => store.trimSession(userId, sessionId, options),
    rewrite: (rewrites, options) => store.rewriteMessages(userId, sessionId, rewrites, options),
    fork: (options) => store.forkSession(userId, sessionId, options),
    update: (options) => store.updateSession(userId, sessionId, options),
    delete: () => store.deleteSession(userId, sessionId),
    watch: (options) => store.watch(userId, sessionId, options),
  };
}
