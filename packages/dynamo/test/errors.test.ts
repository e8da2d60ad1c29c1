import { describe, expect, it } from 'vitest';
import { cancellationCodes, classifyError, conditionFailed, DynamoLimitError, isThrottling, isTransactionConflict, RaceLostError, TableSetupError } from '../src/driver/errors.js';
import { withRetry } from '../src/driver/retry.js';

const sdkError = (name: string, extra: object = {}) => Object.assign(new Error(`${name} happened`), { name, $fault: 'client', ...extra });
const cancelled = (...codes: string[]) => sdkError('TransactionCanceledException', { CancellationReasons: codes.map((Code) => ({ Code })) });

describe('SDK error mapping', () => {
  it('reads which action of a cancelled transaction failed, from the reasons or the message', () => {
    expect(cancellationCodes(cancelled('None', 'ConditionalCheckFailed'))).toEqual(['None', 'ConditionalCheckFailed']);
    expect(cancellationCodes(sdkError('TransactionCanceledException', { message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]' }))).toEqual(['None', 'ConditionalCheckFailed']);
    expect(conditionFailed(cancelled('None', 'ConditionalCheckFailed'), 1)).toBe(true);
    expect(conditionFailed(cancelled('None', 'ConditionalCheckFailed'), 0)).toBe(false);
    expect(conditionFailed(sdkError('ConditionalCheckFailedException'))).toBe(true);
    expect(conditionFailed(sdkError('ValidationException'))).toBe(false);
  });

  it('tells throttling and transaction conflicts (retryable) from failed conditions (not)', () => {
    expect(isThrottling(sdkError('ProvisionedThroughputExceededException'))).toBe(true);
    expect(isThrottling(cancelled('ThrottlingError', 'None'))).toBe(true);
    expect(isTransactionConflict(cancelled('TransactionConflict', 'None'))).toBe(true);
    expect(isTransactionConflict(cancelled('TransactionConflict', 'ConditionalCheckFailed'))).toBe(false);
  });

  it('classifies every failure: client mistakes are never retryable, outages and lost races are', () => {
    const missing = classifyError(sdkError('ResourceNotFoundException'), 'sessions');
    expect(missing?.code).toBe('UNAVAILABLE');
    expect(missing?.message).toContain('setup()');
    expect(classifyError(sdkError('ThrottlingException'), 't')?.code).toBe('UNAVAILABLE');
    expect(classifyError(cancelled('TransactionConflict'), 't')?.code).toBe('CONFLICT');
    expect(classifyError(sdkError('ValidationException', { message: 'Item size has exceeded the maximum allowed size' }), 't')?.code).toBe('TOO_LARGE');
    expect(classifyError(sdkError('ValidationException', { message: '1 validation error detected: Value at limit failed to satisfy constraint' }), 't')?.code).toBe('INVALID_ARGUMENT');
    expect(classifyError(new DynamoLimitError('TOO_LARGE', 'too many'), 't')).toEqual({ code: 'TOO_LARGE', message: 'too many' });
    expect(classifyError(new RaceLostError('lost'), 't')).toEqual({ code: 'CONFLICT', message: 'lost' });
    expect(classifyError(new TableSetupError('wrong keys', true), 't')?.code).toBe('INVALID_ARGUMENT');
    expect(classifyError(new TableSetupError('not active yet', false), 't')?.code).toBe('UNAVAILABLE');
    // A network error is left to the store, which reports it as UNAVAILABLE (retryable).
    expect(classifyError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), 't')).toBeUndefined();
  });
});

describe('withRetry', () => {
  it('retries throttling a bounded number of times, then gives the last error up', async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(sdkError('ThrottlingException'));
    };
    await expect(withRetry(failing, { maxRetries: 3, baseDelayMs: 1 })).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(calls).toBe(4);
  });

  it('does not retry a failed condition, and returns as soon as a retry succeeds', async () => {
    let calls = 0;
    await expect(withRetry(() => (calls++, Promise.reject(cancelled('ConditionalCheckFailed'))), { maxRetries: 5, baseDelayMs: 1 })).rejects.toBeDefined();
    expect(calls).toBe(1);
    calls = 0;
    const flaky = () => (++calls < 3 ? Promise.reject(cancelled('TransactionConflict')) : Promise.resolve('ok'));
    expect(await withRetry(flaky, { maxRetries: 5, baseDelayMs: 1 })).toBe('ok');
    expect(calls).toBe(3);
  });
});
