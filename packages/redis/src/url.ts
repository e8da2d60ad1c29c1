import { invalidUrl } from '@sessions/core';
import type { WaitForReplicas } from './options.js';

/** The URL schemes of this package, registered with core's `openStore` when the package is imported. */
export const REDIS_SCHEMES = ['redis', 'rediss', 'redis+cluster', 'rediss+cluster'] as const;

/** A Redis store URL, parsed. */
export type RedisUrl =
  | {
      kind: 'single';
      /** The URL for ioredis, without the store's own query parameters. */
      url: string;
      keyPrefix?: string;
      waitForReplicas?: WaitForReplicas;
    }
  | {
      kind: 'cluster';
      nodes: { host: string; port: number }[];
      username?: string;
      password?: string;
      tls: boolean;
      keyPrefix?: string;
      waitForReplicas?: WaitForReplicas;
    };

/** The store's own query parameters, in every form of URL. */
const STORE_PARAMS = ['keyPrefix', 'waitForReplicas', 'waitTimeoutMs'];

/** The default `waitForReplicas.timeoutMs` of a URL that gives `?waitForReplicas=` without `?waitTimeoutMs=`. */
export const DEFAULT_URL_WAIT_TIMEOUT_MS = 1000;

/** Takes the store's own parameters out of `params` (ioredis would read them as its own). */
function storeParams(text: string, params: URLSearchParams): Pick<RedisUrl, 'keyPrefix' | 'waitForReplicas'> {
  const keyPrefix = params.get('keyPrefix') ?? undefined;
  const replicas = params.get('waitForReplicas');
  const timeout = params.get('waitTimeoutMs');
  for (const name of STORE_PARAMS) params.delete(name);
  if (replicas === null) {
    if (timeout !== null) throw invalidUrl(text, 'waitTimeoutMs needs waitForReplicas');
    return keyPrefix !== undefined ? { keyPrefix } : {};
  }
  const count = /^\d+$/.test(replicas) ? Number(replicas) : NaN;
  const timeoutMs = timeout === null ? DEFAULT_URL_WAIT_TIMEOUT_MS : /^\d+$/.test(timeout) ? Number(timeout) : NaN;
  if (!(count >= 1)) throw invalidUrl(text, 'waitForReplicas must be a whole number of replicas, at least 1');
  if (!(timeoutMs >= 1)) throw invalidUrl(text, 'waitTimeoutMs must be a whole number of ms, at least 1');
  return { ...(keyPrefix !== undefined && { keyPrefix }), waitForReplicas: { replicas: count, timeoutMs } };
}

/**
 * Parses a Redis store URL:
 *
 * | form | what |
 * |---|---|
 * | `redis://[user:pass@]host[:port][/db][?keyPrefix=app:]` | one server |
 * | `rediss://...` | one server over TLS |
 * | `redis+cluster://[user:pass@]host:port,host:port[?keyPrefix=app:]` | a Redis Cluster, seeded with these nodes |
 * | `rediss+cluster://...` | a Redis Cluster over TLS |
 *
 * `keyPrefix` is the store option of that name; `waitForReplicas=N[&waitTimeoutMs=T]` is the
 * option `waitForReplicas: { replicas: N, timeoutMs: T }` (T defaults to 1000). A single-server URL's other query parameters
 * go to ioredis as it reads them; a cluster URL takes no other. `INVALID_ARGUMENT` (the password
 * hidden) for anything else.
 */
export function parseRedisUrl(input: string): RedisUrl {
  const text = typeof input === 'string' ? input.trim() : '';
  const scheme = /^([a-z+]+):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'redis' || scheme === 'rediss') return parseSingle(text);
  if (scheme === 'redis+cluster' || scheme === 'rediss+cluster') return parseCluster(text, scheme === 'rediss+cluster');
  throw invalidUrl(String(input), 'a Redis URL starts with redis://, rediss://, redis+cluster:// or rediss+cluster://');
}

function parseSingle(text: string): RedisUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidUrl(text, 'it is not a valid URL (redis://[user:pass@]host[:port][/db])');
  }
  if (!url.hostname) throw invalidUrl(text, 'it has no host');
  // ioredis would read ?keyPrefix= as its own keyPrefix option, which the store refuses.
  const own = storeParams(text, url.searchParams);
  return { kind: 'single', url: url.toString(), ...own };
}

function parseCluster(text: string, tls: boolean): RedisUrl {
  // The user info runs to the last '@' before the host list, so a password may hold '@' or '/'.
  const match = /^[a-z+]+:\/\/(?:(.*)@)?([^@/?#]+)\/?(?:\?([^#]*))?$/is.exec(text);
  if (!match) throw invalidUrl(text, 'expected redis+cluster://[user:pass@]host:port,host:port[?keyPrefix=app:]');
  const [, auth, hosts = '', query = ''] = match;
  const nodes = hosts.split(',').map((hostPort) => {
    const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(hostPort.trim());
    if (!m) throw invalidUrl(text, `"${hostPort}" is not host:port`);
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
  });
  const params = new URLSearchParams(query);
  for (const name of params.keys()) {
    if (!STORE_PARAMS.includes(name)) throw invalidUrl(text, `the query parameter "${name}" is not known; a cluster URL takes only ${STORE_PARAMS.join(', ')}`);
  }
  const own = storeParams(text, params);
  const colon = auth === undefined ? -1 : auth.indexOf(':');
  const user = auth === undefined ? undefined : colon === -1 ? auth : auth.slice(0, colon);
  const password = auth === undefined || colon === -1 ? undefined : auth.slice(colon + 1);
  return {
    kind: 'cluster',
    nodes,
    tls,
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(password !== undefined ? { password: decodeURIComponent(password) } : {}),
    ...own,
  };
}
