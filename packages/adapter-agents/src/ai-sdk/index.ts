export {
  UIMessageChatStore,
  type SaveChatArgs,
  type SaveChatResult,
  type UIMessageChatStoreOptions,
} from './ui-message-chat-store.js';
export { HISTORY_EDIT_TYPE, isHistoryEdit, type HistoryEdit } from '../shared/history-log.js';
