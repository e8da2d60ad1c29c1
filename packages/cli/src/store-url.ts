import { usageError } from './cli-error.js';

/** A parsed `--store` URL: which backend, and how to reach it. */
export type StoreUrl =
  | { kind: 'memory' }
  | { kind: 'pglite'; dataDir: string | null }
  | { kind: 'redis'; url: string; keyPrefix?: string }
  | { kind: 'redis-cluster'; nodes: { host: string; port: number }[]; username?: string; password?: string; tls: boolean; keyPrefix?: string }
  | { kind: 'postgres'; url: string; schema?: string }
  | { kind: 'dynamodb'; endpoint?: string; region: string; table: string };

/** The store used when neither `--store` nor `SESSIONS_STORE` is given: embedded PostgreSQL in `./.sessions`. */
export const DEFAULT_STORE_URL = 'pglite:./.sessions';

const FORMS = [
  'memory:',
  'pglite:./path (or pglite: for an in-memory PGlite)',
  'redis://[user:pass@]host:port[/db][?keyPrefix=app:]',
  'rediss://... (TLS)',
  'redis+cluster://host:port,host:port[?keyPrefix=app:]',
  'postgres://user:pass@host:port/db[?schema=sessions]',
  'dynamodb://host:port/table[?region=us-east-1] (a local or compatible endpoint)',
  'dynamodb:table[?region=us-east-1] (AWS, credentials from the environment)',
].join('\n  ');

/**
 * Parses a store URL. Every command and every backend uses this one parser, so a URL means
 * the same thing everywhere. A malformed URL is a usage error naming the accepted forms.
 */
export function parseStoreUrl(input: string): StoreUrl {
  const text = input.trim();
  const colon = text.indexOf(':');
  if (colon <= 0) throw bad(input, 'it has no scheme');
  const scheme = text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  switch (scheme) {
    case 'memory':
      return { kind: 'memory' };
    case 'pglite': {
      const path = rest.replace(/^\/\//, '');
      return { kind: 'pglite', dataDir: path === '' || path === 'memory' ? null : path };
    }
    case 'redis':
    case 'rediss': {
      const url = parseUrl(input, text);
      const keyPrefix = url.searchParams.get('keyPrefix') ?? undefined;
      url.searchParams.delete('keyPrefix');
      if (!url.hostname) throw bad(input, 'it has no host');
      return { kind: 'redis', url: url.toString(), ...(keyPrefix !== undefined && { keyPrefix }) };
    }
    case 'redis+cluster':
    case 'rediss+cluster':
      return parseCluster(input, text, scheme === 'rediss+cluster');
    case 'postgres':
    case 'postgresql': {
      const url = parseUrl(input, text);
      const schema = url.searchParams.get('schema') ?? undefined;
      url.searchParams.delete('schema');
      if (!url.hostname) throw bad(input, 'it has no host');
      return { kind: 'postgres', url: url.toString(), ...(schema !== undefined && { schema }) };
    }
    case 'dynamodb':
      return parseDynamo(input, rest);
    default:
      throw bad(input, `the scheme "${scheme}:" is not one of the supported ones`);
  }
}

function parseCluster(input: string, text: string, tls: boolean): StoreUrl {
  // new URL() cannot hold several hosts: swap them for one placeholder host, then parse.
  const match = /^[a-z+]+:\/\/(?:([^@/]*)@)?([^/?#]+)(.*)$/i.exec(text);
  if (!match) throw bad(input, 'expected redis+cluster://host:port,host:port');
  const [, auth, hosts, tail] = match;
  const url = parseUrl(input, `redis://placeholder${tail ?? ''}`);
  const nodes = hosts!.split(',').map((hostPort) => {
    const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(hostPort.trim());
    if (!m) throw bad(input, `"${hostPort}" is not host:port`);
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
  });
  const [user, pass] = auth ? auth.split(':') : [];
  const keyPrefix = url.searchParams.get('keyPrefix') ?? undefined;
  return {
    kind: 'redis-cluster',
    nodes,
    tls,
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(pass !== undefined ? { password: decodeURIComponent(pass) } : {}),
    ...(keyPrefix !== undefined && { keyPrefix }),
  };
}

function parseDynamo(input: string, rest: string): StoreUrl {
  const [path = '', query = ''] = rest.split('?', 2);
  const params = new URLSearchParams(query);
  const region = params.get('region') ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  if (path.startsWith('//')) {
    const m = /^\/\/([^/]+)\/([^/]+)$/.exec(path);
    if (!m) throw bad(input, 'expected dynamodb://host:port/table');
    const scheme = params.get('tls') === '1' || params.get('tls') === 'true' ? 'https' : 'http';
    return { kind: 'dynamodb', endpoint: `${scheme}://${m[1]}`, region, table: decodeURIComponent(m[2]!) };
  }
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(path)) throw bad(input, 'expected dynamodb:<table> with a valid DynamoDB table name');
  return { kind: 'dynamodb', region, table: path };
}

function parseUrl(input: string, text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw bad(input, 'it is not a valid URL');
  }
}

function bad(input: string, why: string) {
  return usageError(`store URL ${JSON.stringify(redactUrl(input))} is not valid: ${why}. Accepted forms:\n  ${FORMS}`);
}

/** The URL with any password replaced by `***`, for messages and logs. */
export function redactUrl(input: string): string {
  return input.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}
