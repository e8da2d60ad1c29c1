import { storeErrors } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { mapRedisError } from '../src/errors.js';

describe('mapRedisError', () => {
  it('maps a driver failure to UNAVAILABLE whose cause carries no command arguments', () => {
    const driverError = Object.assign(new Error('Connection is closed.'), {
      command: { name: 'evalsha', args: ['sha', '4', 'k1', '{"role":"user","content":"my card is 4111 1111"}', 'idem-key-1'] },
    });
    const mapped = mapRedisError(storeErrors('redis'), driverError);
    expect(mapped.code).toBe('UNAVAILABLE');
    expect(mapped.message).toMatch(/^\[sessions\] \[redis\] Redis call failed/);
    expect(mapped.cause).toBe(driverError);
    const logged = JSON.stringify({ message: mapped.message, cause: mapped.cause, command: (mapped.cause as { command: unknown }).command });
    expect(logged).not.toContain('4111');
    expect(logged).not.toContain('idem-key-1');
    expect((mapped.cause as { command: { name: string } }).command.name).toBe('evalsha');
  });

  it('keeps errors without a command as they are', () => {
    const driverError = new Error('connect ECONNREFUSED 127.0.0.1:1');
    const mapped = mapRedisError(storeErrors('redis'), driverError);
    expect(mapped.cause).toBe(driverError);
    expect(mapped.retryable).toBe(true);
  });
});
