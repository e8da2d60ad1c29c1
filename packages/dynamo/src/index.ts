export { DynamoSessionStore } from './dynamo-session-store.js';
export { DEFAULT_TABLE_NAME, DEFAULT_MAX_RETRIES, type DynamoSessionStoreOptions, type EnsureTableOptions } from './options.js';
export { ensureTable, tableDefinition, TableSetupError, type EnsureTableResult } from './table.js';
export { MAX_APPEND_BATCH, MAX_RESTORE_BATCH, ITEM_MAX_BYTES, TRANSACTION_MAX_BYTES } from './limits.js';
export { encodeId, MAX_PLAIN_ID_BYTES } from './keys.js';
export { BACKEND as DYNAMO_BACKEND } from './errors.js';
