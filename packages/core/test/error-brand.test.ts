import { describe, expect, it } from 'vitest';
import { DriverSessionStore, SessionStoreError, isSessionStoreError } from '../src/index.js';
import { driverWith } from './drivers.js';

/** A second copy of core's errors module, as npm installs when two versions of core meet. */
async function secondCopy(): Promise<typeof import('../src/errors.js')> {
  // A query string makes the module loader treat it as another module: a class of its own.
  const url = new URL('../src/errors.ts?second-copy', import.meta.url).href;
  return (await import(/* @vite-ignore */ url)) as typeof import('../src/errors.js');
}

describe('isSessionStoreError', () => {
  it('recognises an error made by another copy of the class, which instanceof does not', async () => {
    const copy = await secondCopy();
    expect(copy.SessionStoreError).not.toBe(SessionStoreError);
    const foreign = new copy.SessionStoreError('CONFLICT', 'from the other copy', { backend: 'redis' });
    expect(foreign instanceof SessionStoreError).toBe(false);
    expect(isSessionStoreError(foreign)).toBe(true);
    expect(isSessionStoreError(foreign, 'CONFLICT')).toBe(true);
    expect(isSessionStoreError(foreign, 'NOT_FOUND')).toBe(false);
    const ours = new SessionStoreError('NOT_FOUND', 'from this copy');
    expect(copy.isSessionStoreError(ours, 'NOT_FOUND')).toBe(true);
  });

  it('recognises the global brand on any object, and nothing without it', () => {
    const branded = { [Symbol.for('@sessions/core/SessionStoreError')]: true, code: 'UNAVAILABLE', message: 'x' };
    expect(isSessionStoreError(branded)).toBe(true);
    expect(isSessionStoreError(branded, 'UNAVAILABLE')).toBe(true);
    for (const value of [
      new Error('plain'),
      { code: 'NOT_FOUND', name: 'SessionStoreError' },
      { [Symbol.for('@sessions/core/SessionStoreError')]: 'true', code: 'NOT_FOUND' },
      { [Symbol('@sessions/core/SessionStoreError')]: true, code: 'NOT_FOUND' },
      null,
      undefined,
      'SessionStoreError',
    ]) {
      expect(isSessionStoreError(value), String(value)).toBe(false);
    }
  });

  it('the store passes an error of another copy through as it is, instead of wrapping it as UNAVAILABLE', async () => {
    const copy = await secondCopy();
    const foreign = new copy.SessionStoreError('DECRYPT_FAILED', 'a codec of another copy failed', { backend: 'memory' });
    const store = new DriverSessionStore(
      driverWith({
        read: async () => {
          throw foreign;
        },
      }),
    );
    await expect(store.getMessages('u', 's')).rejects.toBe(foreign);
  });

  it('carries code, backend, retryable, fault, prefix and cause', () => {
    const cause = new Error('socket closed');
    const error = new SessionStoreError('UNAVAILABLE', 'lost the server', { backend: 'redis', cause });
    expect(error).toMatchObject({ name: 'SessionStoreError', code: 'UNAVAILABLE', backend: 'redis', retryable: true, fault: 'server', cause });
    expect(error.message).toBe('[sessions] [redis] lost the server');
    expect(new SessionStoreError('TOO_LARGE', 'big')).toMatchObject({ backend: 'core', retryable: false, fault: 'client' });
    expect(new SessionStoreError('NOT_FOUND', '[sessions] [x] already prefixed').message).toBe('[sessions] [x] already prefixed');
  });
});
