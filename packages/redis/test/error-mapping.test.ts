import { describe, expect, it } from 'vitest';
import { classifyRedisError } from '../src/driver/errors.js';
import { ConnectionLostError } from '../src/driver/in-flight.js';
import { withoutCommandArgs } from '../src/driver/script.js';

describe('Redis errors', () => {
  it('drops the command arguments from a driver error, keeping the command name', () => {
    const driverError = Object.assign(new Error('Connection is closed.'), {
      command: { name: 'evalsha', args: ['sha', '4', 'k1', '{"role":"user","content":"my card is 4111 1111"}', 'idem-key-1'] },
    });
    const cleaned = withoutCommandArgs(driverError);
    expect(cleaned).toBe(driverError);
    const logged = JSON.stringify({ error: cleaned, command: (cleaned as { command: unknown }).command });
    expect(logged).not.toContain('4111');
    expect(logged).not.toContain('idem-key-1');
    expect((cleaned as { command: { name: string } }).command.name).toBe('evalsha');
  });

  it('keeps errors without a command as they are, and leaves outages to the store (UNAVAILABLE)', () => {
    const driverError = new Error('connect ECONNREFUSED 127.0.0.1:1');
    expect(withoutCommandArgs(driverError)).toBe(driverError);
    expect(classifyRedisError(driverError)).toBeUndefined();
  });

  it('says that the outcome of an interrupted write is unknown, and calls a foreign key type a client mistake', () => {
    expect(classifyRedisError(new ConnectionLostError('dropped'))).toMatchObject({ code: 'UNAVAILABLE' });
    expect(classifyRedisError(new Error('Connection is closed.'))?.message).toMatch(/may or may not have been applied/);
    expect(classifyRedisError(new Error('WRONGTYPE Operation against a key holding the wrong kind of value'))).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
