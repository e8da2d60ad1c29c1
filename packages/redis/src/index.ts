import { registerStoreScheme } from '@sessions/core';
import type { RedisUrlOptions } from './options.js';
import { RedisSessionStore } from './redis-session-store.js';
import { REDIS_SCHEMES } from './url.js';

export { RedisSessionStore } from './redis-session-store.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_KEY_PREFIX,
  DEFAULT_RECONNECT_DELAY_MS,
  type RedisSessionStoreOptions,
  type RedisStoreSettings,
  type RedisUrlOptions,
  type WaitForReplicas,
} from './options.js';
export { REDIS_SCHEMES, parseRedisUrl, type RedisUrl } from './url.js';
export { RedisDriver, REDIS_BACKEND, type RedisDriverOptions } from './driver/driver.js';
export type { RedisClient } from './driver/client.js';
export { ReplicationUnconfirmedError } from './driver/replicas.js';
export { KeySpace, encodeSessionId, decodeSessionId, encodeUserId, decodeUserId, type SessionKeys } from './driver/keys.js';

// Importing the package makes openStore('redis://...') and the other Redis schemes work.
registerStoreScheme(REDIS_SCHEMES, (url, options) => RedisSessionStore.fromUrl(url.text, options as RedisUrlOptions));
