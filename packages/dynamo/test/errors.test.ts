import { storeErrors } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { cancellationCodes, conditionFailed, isThrottling, isTransactionConflict, toStoreError } from '../src/errors.js';
import { withRetry } from '../src/retry.js';

const errors = storeErrors('dynamo');
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

  it('maps every SDK failure to a typed error that keeps the cause and says what to change', () => {
    const missing = toStoreError(errors, sdkError('ResourceNotFoundException'), 'sessions');
    expect(missing).toMatchObject({ code: 'UNAVAILABLE', backend: 'dynamo' });
    expect(missing.message).toContain('ensureTable()');
    expect(toStoreError(errors, sdkError('ThrottlingException'), 't')).toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    expect(toStoreError(errors, cancelled('TransactionConflict'), 't')).toMatchObject({ code: 'CONFLICT', retryable: true });
    expect(toStoreError(errors, sdkError('ValidationException', { message: 'Item size has exceeded the maximum allowed size' }), 't').code).toBe('TOO_LARGE');
    const network = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const mapped = toStoreError(errors, network, 't');
    expect(mapped).toMatchObject({ code: 'UNAVAILABLE', fault: 'server' });
    expect(mapped.cause).toBe(network);
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
