import { describe, expect, it } from 'vitest';
import { CliError } from '../src/cli-error.js';
import { parseStoreUrl, redactUrl } from '../src/store-url.js';

describe('parseStoreUrl', () => {
  it('parses every supported form', () => {
    expect(parseStoreUrl('memory:')).toEqual({ kind: 'memory' });
    expect(parseStoreUrl('pglite:./data/sessions')).toEqual({ kind: 'pglite', dataDir: './data/sessions' });
    expect(parseStoreUrl('pglite:')).toEqual({ kind: 'pglite', dataDir: null });
    expect(parseStoreUrl('redis://:secret@localhost:6380/2?keyPrefix=app:')).toEqual({
      kind: 'redis',
      url: 'redis://:secret@localhost:6380/2',
      keyPrefix: 'app:',
    });
    expect(parseStoreUrl('rediss://cache.example.com:6380')).toMatchObject({ kind: 'redis', url: 'rediss://cache.example.com:6380' });
    expect(parseStoreUrl('redis+cluster://u:p%40ss@10.0.0.1:7000,10.0.0.2:7001?keyPrefix=x')).toEqual({
      kind: 'redis-cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      username: 'u',
      password: 'p@ss',
      tls: false,
      keyPrefix: 'x',
    });
    expect(parseStoreUrl('postgres://app@db:5432/main?schema=agents')).toEqual({
      kind: 'postgres',
      url: 'postgres://app@db:5432/main',
      schema: 'agents',
    });
    expect(parseStoreUrl('dynamodb://localhost:8000/sessions?region=eu-west-1')).toEqual({
      kind: 'dynamodb',
      endpoint: 'http://localhost:8000',
      region: 'eu-west-1',
      table: 'sessions',
    });
    expect(parseStoreUrl('dynamodb:prod-sessions?region=us-west-2')).toEqual({ kind: 'dynamodb', region: 'us-west-2', table: 'prod-sessions' });
  });

  it.each([
    ['no scheme', 'just-a-path'],
    ['an unknown scheme', 'mysql://localhost/db'],
    ['a cluster node without a port', 'redis+cluster://a:1,b'],
    ['a dynamodb URL without a table', 'dynamodb://localhost:8000'],
    ['a bad dynamodb table name', 'dynamodb:a'],
    ['a redis URL without a host', 'redis://'],
  ])('rejects %s with a usage error', (_what, url) => {
    let error: unknown;
    try {
      parseStoreUrl(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toContain('Accepted forms');
  });

  it('never echoes a password in its errors', () => {
    expect(() => parseStoreUrl('mysql://admin:hunter2@db/x')).toThrow(/admin:\*\*\*@db/);
    expect(() => parseStoreUrl('mysql://admin:hunter2@db/x')).not.toThrow(/hunter2/);
  });
});

describe('redactUrl', () => {
  it('hides passwords and leaves other URLs alone', () => {
    expect(redactUrl('postgres://app:s3cret@db/main')).toBe('postgres://app:***@db/main');
    expect(redactUrl('redis://localhost:6379')).toBe('redis://localhost:6379');
  });
});
