export { DriverSessionStore, createStore } from './driver-store.js';
export type { MessageCodec, CodecContext } from './codec.js';
export {
  DEFAULT_HEALTH_TIMEOUT_MS,
  DEFAULT_MAX_BATCH_BYTES,
  DEFAULT_MAX_BATCH_MESSAGES,
  DEFAULT_READ_PAGE_SIZE,
  type StoreOptions,
} from './options.js';
export { storeSession, type StoreSession } from './store-session.js';
