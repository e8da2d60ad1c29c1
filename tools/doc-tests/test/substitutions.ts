import { createHash } from 'node:crypto';

/** The throwaway servers of `@sessions/test-services`, as their env vars give them. */
export interface TestServers {
  /** `SESSIONS_REDIS_URL`: `redis://127.0.0.1:<port>` */
  redisUrl: string;
  /** `SESSIONS_REDIS_CLUSTER_NODES`, split: `['127.0.0.1:<p1>', '127.0.0.1:<p2>', '127.0.0.1:<p3>']` */
  clusterNodes: string[];
  /** `SESSIONS_POSTGRES_URL`: `postgres://postgres@127.0.0.1:<port>/sessions_test` */
  postgresUrl: string;
  /** `SESSIONS_DYNAMO_ENDPOINT`: `http://127.0.0.1:<port>` */
  dynamoEndpoint: string;
}

/** One row of the substitution table: what the docs write, and what the runner runs instead. */
export interface Substitution {
  /** The form a snippet uses, as the docs show it. */
  docs: string;
  pattern: RegExp;
  /** The address to run with; `groups` are the pattern's capture groups, in order. */
  replace: (servers: TestServers, groups: string[]) => string;
}

const LOCAL = '(?:localhost|127\\.0\\.0\\.1)';
/** `user:password@` in a URL: dropped, the test servers take no credentials. */
const CREDENTIALS = "(?:[^@\\s'\"`/]*@)?";

const hostPort = (url: string) => new URL(url).host;
const clusterNode = (servers: TestServers, index: number) => {
  const node = servers.clusterNodes[index];
  if (!node) throw new Error(`the test cluster has no node ${index}`);
  return node;
};

/**
 * How the runner points a snippet at the test servers. A snippet writes the addresses a reader
 * would (standard ports on localhost); the runner rewrites exactly these forms, and nothing
 * else, before it typechecks and runs the snippet. The test servers never listen on the
 * standard ports, and a snippet never reaches what does (see `network-guard.ts`).
 *
 * | in a snippet | runs as |
 * |---|---|
 * | `redis://[user:password@]localhost:6379` (or `127.0.0.1`) | `SESSIONS_REDIS_URL` (path and query kept) |
 * | `redis+cluster://localhost:7000,localhost:7001,localhost:7002` | `redis+cluster://` + `SESSIONS_REDIS_CLUSTER_NODES` |
 * | `{ host: 'localhost', port: 7000 }` (7001, 7002: an ioredis `Cluster` node) | the test cluster's node 0 (1, 2) |
 * | `postgres://[user[:password]@]localhost[:5432]/app` | `SESSIONS_POSTGRES_URL` (query kept) |
 * | `dynamodb://localhost:8000/` | `dynamodb://` + the host and port of `SESSIONS_DYNAMO_ENDPOINT` + `/` |
 * | `http://localhost:8000` | `SESSIONS_DYNAMO_ENDPOINT` |
 */
export const SUBSTITUTIONS: readonly Substitution[] = [
  {
    docs: 'redis+cluster://localhost:7000,localhost:7001,localhost:7002',
    pattern: new RegExp(`redis\\+cluster://${LOCAL}:700\\d(?:,${LOCAL}:700\\d)*`, 'g'),
    replace: (servers) => `redis+cluster://${servers.clusterNodes.join(',')}`,
  },
  {
    docs: "{ host: 'localhost', port: 7000 }",
    pattern: new RegExp(`\\{ host: '${LOCAL}', port: 700(\\d) \\}`, 'g'),
    replace: (servers, [index]) => {
      const [host, port] = clusterNode(servers, Number(index)).split(':');
      return `{ host: '${host}', port: ${port} }`;
    },
  },
  {
    docs: 'redis://localhost:6379',
    pattern: new RegExp(`redis://${CREDENTIALS}${LOCAL}:6379`, 'g'),
    replace: (servers) => servers.redisUrl.replace(/\/$/, ''),
  },
  {
    docs: 'postgres://localhost/app',
    pattern: new RegExp(`postgres(?:ql)?://${CREDENTIALS}localhost(?::5432)?/app\\b`, 'g'),
    replace: (servers) => servers.postgresUrl,
  },
  {
    docs: 'dynamodb://localhost:8000/',
    pattern: new RegExp(`dynamodb://${LOCAL}:8000/`, 'g'),
    replace: (servers) => `dynamodb://${hostPort(servers.dynamoEndpoint)}/`,
  },
  {
    docs: 'http://localhost:8000',
    pattern: new RegExp(`http://${LOCAL}:8000\\b`, 'g'),
    replace: (servers) => servers.dynamoEndpoint.replace(/\/$/, ''),
  },
];

/** The snippet as it runs: every form of {@link SUBSTITUTIONS} replaced by a test server's address. */
export function substitute(code: string, servers: TestServers): string {
  let result = code;
  for (const row of SUBSTITUTIONS) {
    // The callback gets (match, ...groups, offset, input): the groups are what lies between.
    result = result.replace(row.pattern, (...args: unknown[]) => row.replace(servers, args.slice(1, -2) as string[]));
  }
  return result;
}

/** The loopback ports of the test servers: the only ports a snippet may connect to. */
export function serverPorts(servers: TestServers): number[] {
  const ports = [servers.redisUrl, servers.postgresUrl, servers.dynamoEndpoint].map((url) => Number(new URL(url).port));
  return [...ports, ...servers.clusterNodes.map((node) => Number(node.split(':')[1]))];
}

/**
 * The environment every snippet runs with, on top of the runner's own (less `OPENAI_API_KEY`
 * and the `AWS_*` / `PG*` variables, so that nothing reaches a real service):
 *
 * | variable | value | for |
 * |---|---|---|
 * | `REDIS_URL` | `SESSIONS_REDIS_URL` | `process.env.REDIS_URL` in a snippet |
 * | `DATABASE_URL` | `SESSIONS_POSTGRES_URL` | `process.env.DATABASE_URL` |
 * | `AWS_ENDPOINT_URL_DYNAMODB` | `SESSIONS_DYNAMO_ENDPOINT` | every `DynamoDBClient` built without an endpoint (`dynamodb:table?region=...`, `new DynamoDBClient({ region })`) talks to DynamoDB Local |
 * | `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` | `eu-west-1`, `local`, `local` | DynamoDB Local takes any credentials |
 * | `SESSIONS_KEY_2026_01`, `SESSIONS_KEY_2026_07` | 32 bytes, base64 | the encryption keys of the encryption snippets |
 *
 * The keys are test keys, the same in every run (the SHA-256 of their names): data one run
 * encrypts on a server the next run reuses (a `SESSIONS_*_URL` of your own) still decrypts.
 */
export function snippetEnv(servers: TestServers, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (name === 'OPENAI_API_KEY' || name.startsWith('AWS_') || name.startsWith('PG')) continue;
    env[name] = value;
  }
  return {
    ...env,
    REDIS_URL: servers.redisUrl,
    DATABASE_URL: servers.postgresUrl,
    AWS_ENDPOINT_URL_DYNAMODB: servers.dynamoEndpoint,
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    SESSIONS_KEY_2026_01: testKey('SESSIONS_KEY_2026_01'),
    SESSIONS_KEY_2026_07: testKey('SESSIONS_KEY_2026_07'),
  };
}

const testKey = (name: string) => createHash('sha256').update(name).digest('base64');

const URL_IN_CODE = /\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`)]+/gi;
const NETWORK_SCHEMES = /^(?:redis|rediss|redis\+cluster|postgres|postgresql|dynamodb|http|https|mongodb|mysql):/i;

/**
 * The network addresses a snippet still names after substitution that are not a test server:
 * such a snippet would reach a real service (or the machine's standard ports), so it is not
 * run. Each is reported with the line it is on.
 */
export function foreignAddresses(code: string, servers: TestServers): string[] {
  const allowed = new Set(serverPorts(servers).map((port) => `127.0.0.1:${port}`));
  const found: string[] = [];
  code.split('\n').forEach((line, index) => {
    // A comment may show a URL's grammar (`redis://h:p`): only code connects.
    const text = line.replace(/(^|\s)\/\/.*$/, '');
    for (const [url] of text.matchAll(URL_IN_CODE)) {
      if (!NETWORK_SCHEMES.test(url)) continue;
      const hosts = url.replace(/^[^:]+:\/\/(?:[^@/]*@)?/, '').split(/[/?#]/)[0]!.split(',');
      for (const host of hosts) if (!allowed.has(host)) found.push(`line ${index + 1}: ${url}`);
    }
  });
  return found;
}
