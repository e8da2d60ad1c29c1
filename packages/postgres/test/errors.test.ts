import { describe, expect, it } from 'vitest';
import { classifyError, PostgresDriverError } from '../src/driver/errors.js';

/** An error shaped like the clients' (postgres.js PostgresError, PGlite DatabaseError, Node socket errors). */
const driverError = (code: string, detail = 'Key (user_id, id)=(alice, secret-session) already exists.') =>
  Object.assign(new Error(`some driver text with ${detail}`), { code, detail, query: 'INSERT INTO ... hunter2', parameters: ['hunter2'] });

describe('classifyError', () => {
  it.each([
    ['08006', 'UNAVAILABLE'],
    ['57P01', 'UNAVAILABLE'],
    ['53300', 'UNAVAILABLE'],
    ['40P01', 'UNAVAILABLE'],
    ['ECONNREFUSED', 'UNAVAILABLE'],
    ['CONNECTION_CLOSED', 'UNAVAILABLE'],
    ['CONNECT_TIMEOUT', 'UNAVAILABLE'],
    ['42P01', 'UNAVAILABLE'],
    ['XX000', 'UNAVAILABLE'],
    ['22008', 'INVALID_ARGUMENT'],
    ['22P02', 'INVALID_ARGUMENT'],
    ['54000', 'TOO_LARGE'],
  ])('classifies %s as %s and quotes nothing of the caller', (code, expected) => {
    const classified = classifyError(driverError(code));
    expect(classified?.code).toBe(expected);
    expect(classified?.message).not.toMatch(/secret-session|hunter2|INSERT|driver text/);
  });

  it('says to run setup() when the tables are missing', () => {
    expect(classifyError(driverError('42P01'))?.message).toContain('setup()');
  });

  it("passes the driver's own classified faults on", () => {
    expect(classifyError(new PostgresDriverError('INVALID_ARGUMENT', 'bad cursor'))).toEqual({ code: 'INVALID_ARGUMENT', message: 'bad cursor' });
  });
});
