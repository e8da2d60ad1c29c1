export { SessionChatMessageHistory, type SessionChatMessageHistoryOptions } from './session-chat-message-history.js';
