export {
  UIMessageChatStore,
  type SaveChatArgs,
  type SaveChatResult,
  type UIMessageChatStoreOptions,
} from './ui-message-chat-store.js';
