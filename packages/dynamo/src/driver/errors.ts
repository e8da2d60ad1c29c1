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

/**
 * A request this driver refuses before sending it, because DynamoDB could not do it in one
 * atomic step (more than a transaction holds, an item over 400 KB): a client mistake, never
 * retryable.
 */
export class DynamoLimitError extends Error {
  override readonly name = 'DynamoLimitError';
  constructor(
    readonly code: 'INVALID_ARGUMENT' | 'TOO_LARGE',
    message: string,
  ) {
    super(message);
  }
}

/**
 * An optimistic write whose condition kept failing because other writers kept changing the
 * session: nothing was written, and the caller may retry (`CONFLICT`, retryable).
 */
export class RaceLostError extends Error {
  override readonly name = 'RaceLostError';
}

/** The table exists but is not one this driver can use, or never became active. */
export class TableSetupError extends Error {
  override readonly name = 'TableSetupError';
  constructor(
    message: string,
    /** `true` when the table's schema is wrong (a different table is needed), `false` for a timeout. */
    readonly schemaMismatch: boolean,
  ) {
    super(message);
  }
}

/**
 * A setting the store cannot work with (the `streams` option without its package, or over a
 * table without a stream): a client mistake, never retryable; the message says what to change.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

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

/** What {@link classifyError} returns: the contract's code and a message saying what to change. */
export interface ErrorClass {
  code: 'INVALID_ARGUMENT' | 'TOO_LARGE' | 'UNAVAILABLE' | 'CONFLICT';
  message: string;
}

/**
 * Says what a thrown error means; it only classifies (the store wraps it, keeping the error as
 * `cause`). Client mistakes (a request DynamoDB refused as malformed or too big, a table of the
 * wrong shape) are `INVALID_ARGUMENT` / `TOO_LARGE` and never retryable, so a client that
 * retries retryable errors never loops on them. A missing table, throttling, network and server
 * failures are `UNAVAILABLE`; a write that kept losing races is `CONFLICT`.
 */
export function classifyError(error: unknown, tableName: string): ErrorClass | undefined {
  if (error instanceof DynamoLimitError) return { code: error.code, message: error.message };
  if (error instanceof RaceLostError) return { code: 'CONFLICT', message: error.message };
  if (error instanceof ConfigurationError) return { code: 'INVALID_ARGUMENT', message: error.message };
  if (error instanceof TableSetupError) return { code: error.schemaMismatch ? 'INVALID_ARGUMENT' : 'UNAVAILABLE', message: error.message };
  const sdk = asSdk(error);
  const name = sdk.name ?? 'Error';
  if (name === 'ResourceNotFoundException') {
    return { code: 'UNAVAILABLE', message: `table ${JSON.stringify(tableName)} (or its index) does not exist; create it once with store.setup() or fix the tableName option` };
  }
  if (name === 'ValidationException' || name === 'ItemCollectionSizeLimitExceededException') {
    if (/size|too large|exceed/i.test(sdk.message ?? '')) {
      return { code: 'TOO_LARGE', message: `DynamoDB refused the request as too large (${name}): an item holds at most 400 KB and a transaction 4 MB; lower maxMessageBytes or the batch size` };
    }
    return { code: 'INVALID_ARGUMENT', message: `DynamoDB refused the request as invalid (${name}: ${sdk.message ?? 'no detail'}); retrying it will not help` };
  }
  if (isThrottling(error)) {
    return { code: 'UNAVAILABLE', message: `DynamoDB kept throttling the request (${name}); raise the table's capacity or the maxRetries option` };
  }
  if (isTransactionConflict(error)) {
    return { code: 'CONFLICT', message: `the write kept losing races with concurrent writes to the same session (${name}); retry later` };
  }
  if (sdk.name !== undefined && sdk.$fault !== undefined) {
    return { code: 'UNAVAILABLE', message: `DynamoDB request failed (${name}, ${sdk.$fault} fault); check the endpoint, region, credentials and table` };
  }
  return undefined;
}
