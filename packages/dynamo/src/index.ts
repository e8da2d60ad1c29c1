import { registerStoreScheme } from '@sessions/core';
import { DynamoSessionStore } from './dynamo-session-store.js';
import { DYNAMO_SCHEMES } from './url.js';

export { DynamoSessionStore } from './dynamo-session-store.js';
export {
  DEFAULT_TABLE_NAME,
  DEFAULT_MAX_RETRIES,
  DEFAULT_SESSION_CACHE_SIZE,
  DEFAULT_STREAM_POLL_MS,
  type DynamoSessionStoreOptions,
  type DynamoStreamsOptions,
  type DynamoTableOptions,
} from './options.js';
export { DYNAMO_SCHEMES, parseDynamoUrl, dynamoUrlOptions, type DynamoUrl } from './url.js';
export { DynamoDriver, type DynamoDriverOptions } from './driver/driver.js';
export { tableDefinition, type TableFeatures } from './driver/setup.js';
export { MAX_APPEND_BATCH, MAX_RESTORE_BATCH, ITEM_MAX_BYTES, TRANSACTION_MAX_BYTES } from './limits.js';
export { MAX_TAIL_REWRITE } from './driver/replace-tail.js';
export { MAX_REWRITE_BATCH } from './driver/rewrite.js';
export { encodeId, MAX_PLAIN_ID_BYTES } from './keys.js';
export { BACKEND as DYNAMO_BACKEND } from './driver/errors.js';

// `openStore('dynamodb://...')` opens this package's store once it is imported.
registerStoreScheme(DYNAMO_SCHEMES, (url, options) => DynamoSessionStore.fromUrl(url, options));
