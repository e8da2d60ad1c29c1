import { isSessionStoreError, type SessionStoreError, type StoreErrors } from '@sessions/core';

/** The backend name used in error messages. */
export const BACKEND = 'dynamo';

/** What the SDK's service exceptions carry that we read. */
interface SdkError {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  CancellationReasons?: { Code?: string }[];
}

function asSdk(error: unknown): SdkError {
  return typeof error === 'object' && error !== null ? (error as SdkError) : {};
}

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

/** The reason codes of a cancelled transaction, one per action (`"None"` for those that did not fail). */
export function cancellationCodes(error: unknown): string[] | null {
  const sdk = asSdk(error);
  if (sdk.name !== 'TransactionCanceledException') return null;
  if (sdk.CancellationReasons) return sdk.CancellationReasons.map((r) => r.Code ?? 'None');
  // Some compatible servers give the reasons only in the message: "... [None, ConditionalCheckFailed]".
  const match = /\[([^\]]*)\]/.exec(sdk.message ?? '');
  return match?.[1] ? match[1].split(',').map((c) => c.trim()) : [];
}

/** `true` when a transaction was cancelled because a condition of the action at `index` failed (any action when absent). */
export function conditionFailed(error: unknown, index?: number): boolean {
  if (asSdk(error).name === 'ConditionalCheckFailedException') return true;
  const codes = cancellationCodes(error);
  if (!codes) return false;
  return index === undefined ? codes.includes('ConditionalCheckFailed') : codes[index] === 'ConditionalCheckFailed';
}

/** `true` for throttling: the same request may succeed after a pause. */
export function isThrottling(error: unknown): boolean {
  const sdk = asSdk(error);
  if (THROTTLING.has(sdk.name ?? '')) return true;
  const codes = cancellationCodes(error);
  return codes !== null && codes.some((c) => c === 'ThrottlingError' || c === 'ProvisionedThroughputExceeded');
}

/** `true` when a transaction lost a race with another one on the same item (and no condition failed). */
export function isTransactionConflict(error: unknown): boolean {
  const sdk = asSdk(error);
  if (sdk.name === 'TransactionConflictException' || sdk.name === 'TransactionInProgressException') return true;
  const codes = cancellationCodes(error);
  return codes !== null && codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
}

/**
 * Turns anything a DynamoDB call threw into a `SessionStoreError`: a missing table and every
 * network, credential or server failure become `UNAVAILABLE` with the SDK error as `cause`,
 * a request DynamoDB refused as too big becomes `TOO_LARGE`. Raw SDK errors never escape.
 */
export function toStoreError(errors: StoreErrors, error: unknown, tableName: string): SessionStoreError {
  if (isSessionStoreError(error)) return error;
  const sdk = asSdk(error);
  const name = sdk.name ?? 'Error';
  if (name === 'ResourceNotFoundException') {
    return errors.unavailable(`table ${JSON.stringify(tableName)} (or its index) does not exist; create it once with store.ensureTable() or fix the tableName option`, error);
  }
  if (name === 'ValidationException' && /size/i.test(sdk.message ?? '')) {
    return errors.tooLarge(`DynamoDB refused the request as too large (${name}): an item holds at most 400 KB and a transaction 4 MB; lower maxMessageBytes or the batch size`);
  }
  if (isThrottling(error)) {
    return errors.unavailable(`DynamoDB kept throttling the request (${name}); raise the table's capacity or the maxRetries option`, error);
  }
  if (isTransactionConflict(error)) {
    return errors.make('CONFLICT', `the write kept losing races with concurrent writes to the same session (${name}); retry later`, error);
  }
  return errors.unavailable(`DynamoDB request failed (${name}${sdk.$fault ? `, ${sdk.$fault} fault` : ''}); check the endpoint, region, credentials and table`, error);
}
