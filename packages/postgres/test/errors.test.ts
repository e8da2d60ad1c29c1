import { SessionStoreError } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { mapDriverError } from '../src/errors.js';

/** An error shaped like the drivers' (postgres.js PostgresError, PGlite DatabaseError, Node socket errors). */
const driverError = (code: string, detail = 'Key (user_id, id)=(alice, secret-session) already exists.') =>
  Object.assign(new Error(`some driver text with ${detail}`), { code, detail, query: 'INSERT INTO ... hunter2', parameters: ['hunter2'] });

describe('mapDriverError', () => {
  it.each([
    ['23505', 'ALREADY_EXISTS'],
    ['08006', 'UNAVAILABLE'],
    ['57P01', 'UNAVAILABLE'],
    ['53300', 'UNAVAILABLE'],
    ['40P01', 'UNAVAILABLE'],
    ['ECONNREFUSED', 'UNAVAILABLE'],
    ['CONNECTION_CLOSED', 'UNAVAILABLE'],
    ['CONNECT_TIMEOUT', 'UNAVAILABLE'],
    ['42P01', 'UNAVAILABLE'],
    ['XX000', 'UNAVAILABLE'],
  ])('maps %s to %s, keeps the cause and quotes nothing of the caller', (code, expected) => {
    const cause = driverError(code);
    const mapped = mapDriverError(cause, 'append');
    expect(mapped).toBeInstanceOf(SessionStoreError);
    expect(mapped).toMatchObject({ code: expected, backend: 'postgres' });
    expect(mapped.cause).toBe(cause);
    expect(mapped.message).toMatch(/^\[sessions\] \[postgres\] append /);
    expect(mapped.message).not.toMatch(/secret-session|hunter2|INSERT|driver text/);
  });

  it('says to run migrate() when the tables are missing', () => {
    expect(mapDriverError(driverError('42P01'), 'getSession').message).toContain('migrate()');
  });

  it('passes a SessionStoreError through unchanged', () => {
    const own = new SessionStoreError('NOT_FOUND', 'gone', { backend: 'postgres' });
    expect(mapDriverError(own, 'append')).toBe(own);
  });
});
