/** Default `maxMessageBytes`: 256 KiB of encoded JSON per message. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
/** Largest encoded metadata object: 64 KiB. */
export const MAX_METADATA_BYTES = 64 * 1024;
/** Longest user or session id, in characters (code points) after trimming. */
export const MAX_ID_LENGTH = 512;
/** Longest idempotency key, in characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 512;
/** Default page size of `listSessions`. */
export const DEFAULT_LIST_LIMIT = 50;
/** Largest page size of `listSessions`. */
export const MAX_LIST_LIMIT = 1000;
/** Default `batchSize` of `purgeExpired`. */
export const DEFAULT_PURGE_BATCH_SIZE = 500;
