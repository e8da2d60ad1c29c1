/** Actions in one DynamoDB transaction. */
export const TRANSACTION_MAX_ACTIONS = 100;
/**
 * The largest batch one append writes atomically: a transaction's 100 actions minus the
 * session item's update and the idempotency item.
 */
export const MAX_APPEND_BATCH = TRANSACTION_MAX_ACTIONS - 2;
/** The largest batch one `restoreMessages` call writes atomically (100 minus the session update). */
export const MAX_RESTORE_BATCH = TRANSACTION_MAX_ACTIONS - 1;
/** DynamoDB's item size limit. */
export const ITEM_MAX_BYTES = 400 * 1024;
/** DynamoDB's transaction size limit (all items together). */
export const TRANSACTION_MAX_BYTES = 4 * 1024 * 1024;
/** Room kept in a transaction for the session item (its metadata is at most 64 KiB). */
export const SESSION_ITEM_RESERVE_BYTES = 80 * 1024;
