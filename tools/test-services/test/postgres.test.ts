import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPortFree } from '../src/free-port.js';
import { startPostgres } from '../src/postgres-server.js';
import { psql } from './helpers.js';

describe('startPostgres', () => {
  it('starts a server with database sessions_test, keeps data across kill/restart, frees the port on stop', async () => {
    const pg = await startPostgres();
    try {
      expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/sessions_test`);
      expect(await psql(pg.port, 'SELECT current_database()')).toBe('sessions_test');
      expect(await psql(pg.port, 'SHOW fsync')).toBe('off');
      await psql(pg.port, 'CREATE TABLE survivor (v text); INSERT INTO survivor VALUES ($$kept$$)');

      await pg.kill();
      await expect(psql(pg.port, 'SELECT 1')).rejects.toThrow();
      await pg.restart();
      expect(await psql(pg.port, 'SELECT v FROM survivor')).toBe('kept');
    } finally {
      await pg.stop();
    }
    expect(await isPortFree(pg.port)).toBe(true);
    const postmasters = await psql(pg.port, 'SELECT 1').catch(() => 'down');
    expect(postmasters).toBe('down');
    expect(existsSync(pg.dir)).toBe(false);
  });
});
