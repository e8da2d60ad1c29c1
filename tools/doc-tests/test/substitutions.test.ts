import { describe, expect, it } from 'vitest';
import { foreignAddresses, serverPorts, snippetEnv, substitute, type TestServers } from './substitutions.js';

const servers: TestServers = {
  redisUrl: 'redis://127.0.0.1:41001',
  clusterNodes: ['127.0.0.1:41002', '127.0.0.1:41003', '127.0.0.1:41004'],
  postgresUrl: 'postgres://postgres@127.0.0.1:41005/sessions_test',
  dynamoEndpoint: 'http://127.0.0.1:41006',
};

describe('substitute', () => {
  it.each([
    ["'redis://localhost:6379'", "'redis://127.0.0.1:41001'"],
    ["'redis://127.0.0.1:6379'", "'redis://127.0.0.1:41001'"],
    ["'redis://:password@localhost:6379/0?keyPrefix=chat:'", "'redis://127.0.0.1:41001/0?keyPrefix=chat:'"],
    ["'redis+cluster://localhost:7000,localhost:7001,localhost:7002'", "'redis+cluster://127.0.0.1:41002,127.0.0.1:41003,127.0.0.1:41004'"],
    ["new Cluster([{ host: 'localhost', port: 7001 }])", "new Cluster([{ host: '127.0.0.1', port: 41003 }])"],
    ["'postgres://localhost/app'", "'postgres://postgres@127.0.0.1:41005/sessions_test'"],
    ["'postgres://app:secret@localhost:5432/app?schema=s'", "'postgres://postgres@127.0.0.1:41005/sessions_test?schema=s'"],
    ["'dynamodb://localhost:8000/sessions'", "'dynamodb://127.0.0.1:41006/sessions'"],
    ["{ endpoint: 'http://localhost:8000' }", "{ endpoint: 'http://127.0.0.1:41006' }"],
  ])('%s runs as %s', (docs, runs) => {
    expect(substitute(docs, servers)).toBe(runs);
  });

  it('leaves every other address alone (the check below then refuses it)', () => {
    const code = "openStore('redis://localhost:6380'); openStore('postgres://db/app'); openStore('sqlite:./a.db');";
    expect(substitute(code, servers)).toBe(code);
  });
});

describe('foreignAddresses', () => {
  it('names the addresses that are not a test server, with their line', () => {
    const code = [
      "openStore('redis+cluster://10.0.0.1:7000,127.0.0.1:41002');",
      "openStore('redis://localhost:6379');",
      "openStore('rediss://cache.example:6380?keyPrefix=chat:');",
      "openStore('redis://127.0.0.1:41001/0?keyPrefix=a:');",
      "openStore('sqlite:./a.db'); openStore('pglite:'); openStore('dynamodb:sessions?region=eu-west-1');",
    ].join('\n');
    expect(foreignAddresses(code, servers)).toEqual([
      'line 1: redis+cluster://10.0.0.1:7000,127.0.0.1:41002',
      'line 2: redis://localhost:6379',
      'line 3: rediss://cache.example:6380?keyPrefix=chat:',
    ]);
  });

  it('ignores a URL grammar shown in a comment', () => {
    expect(foreignAddresses('// Any backend: redis://h:p, postgres://...\nconst a = 1; // see http://example.com', servers)).toEqual([]);
  });
});

describe('snippetEnv', () => {
  it('points the usual variables at the test servers and drops the real services', () => {
    const env = snippetEnv(servers, { PATH: '/bin', OPENAI_API_KEY: 'sk-real', AWS_PROFILE: 'prod', PGHOST: 'db', REDIS_URL: 'redis://prod' });
    expect(env).toMatchObject({ PATH: '/bin', REDIS_URL: servers.redisUrl, DATABASE_URL: servers.postgresUrl, AWS_ENDPOINT_URL_DYNAMODB: servers.dynamoEndpoint });
    expect(env.OPENAI_API_KEY).toBeUndefined();
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.PGHOST).toBeUndefined();
    expect(Buffer.from(env.SESSIONS_KEY_2026_01!, 'base64')).toHaveLength(32);
    expect(env.SESSIONS_KEY_2026_01).toBe(snippetEnv(servers, {}).SESSIONS_KEY_2026_01); // the same every run
  });

  it('allows exactly the test servers ports', () => {
    expect(serverPorts(servers)).toEqual([41001, 41005, 41006, 41002, 41003, 41004]);
  });
});
