export { OpenAIAgentsSession, type OpenAIAgentsSessionOptions, type OpenAIAgentsSessionUrlOptions, type SessionLogger } from './openai-agents-session.js';
export { HISTORY_EDIT_TYPE, isHistoryEdit, type HistoryEdit } from '../shared/history-log.js';
