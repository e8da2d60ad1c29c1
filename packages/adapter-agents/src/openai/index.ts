export { OpenAIAgentsSession, type OpenAIAgentsSessionOptions } from './openai-agents-session.js';
export { HISTORY_EDIT_TYPE, isHistoryEdit, type HistoryEdit } from '../shared/history-log.js';
