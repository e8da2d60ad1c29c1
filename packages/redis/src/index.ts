export { RedisSessionStore, REDIS_BACKEND } from './redis-session-store.js';
export {
  DEFAULT_HEALTH_TIMEOUT_MS,
  type RedisClient,
  type RedisStoreSettings,
  type RedisSessionStoreOptions,
  type RedisFromUrlOptions,
  type RedisFromClusterOptions,
} from './options.js';
export {
  DEFAULT_KEY_PREFIX,
  KeySpace,
  encodeSessionId,
  decodeSessionId,
  encodeUserId,
  decodeUserId,
  type SessionKeys,
} from './keys.js';
