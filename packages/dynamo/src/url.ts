import { invalidUrl, parseStoreUrl, type JsonObject, type ParsedStoreUrl } from '@sessions/core';
import type { DynamoSessionStoreOptions } from './options.js';

/** The URL schemes of this backend, without the colon. */
export const DYNAMO_SCHEMES = ['dynamodb'] as const;

/** What a `dynamodb:` URL says: where the table is. */
export interface DynamoUrl {
  /** The endpoint of a local or compatible server; absent for AWS (the region's endpoint). */
  endpoint?: string;
  /** The region of `?region=`, if given. */
  region?: string;
  /** The table; absent when the URL names none (the `tableName` option or its default then). */
  tableName?: string;
  /** `?streams=1` (or `0`): follow the table's stream for watches (the `streams` option). */
  streams?: boolean;
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const PARAMS = new Set(['region', 'tls', 'streams']);
const FLAGS: Record<string, boolean> = { '1': true, true: true, '0': false, false: false };

/**
 * Parses a DynamoDB store URL, the one grammar of `DynamoSessionStore.fromUrl`, `openStore` and
 * the CLI's `--store`:
 *
 * | URL | means |
 * |---|---|
 * | `dynamodb://host:port/table[?region=..&tls=1]` | a local or compatible endpoint (DynamoDB Local, LocalStack): `http://host:port`, `https://` with `tls=1` |
 * | `dynamodb:table[?region=..]` | AWS, credentials from the environment (the SDK's default chain) |
 *
 * Both take `?streams=1`: watches follow the table's DynamoDB Stream (the `streams` option).
 *
 * `INVALID_ARGUMENT` for any other form, an invalid table name or an unknown query parameter.
 */
export function parseDynamoUrl(input: string | ParsedStoreUrl): DynamoUrl {
  const url = typeof input === 'string' ? parseStoreUrl(input) : input;
  if (url.scheme !== 'dynamodb') {
    throw invalidUrl(url.text, `a DynamoDB store URL is dynamodb://host:port/table (a local or compatible endpoint) or dynamodb:table (AWS), not ${url.scheme}:`);
  }
  for (const name of url.params.keys()) {
    if (!PARAMS.has(name)) throw invalidUrl(url.text, `the query parameter "${name}" is not known; dynamodb: URLs take ?region=, ?tls=1 and ?streams=1`);
  }
  const streamsParam = url.params.get('streams');
  if (streamsParam !== null && FLAGS[streamsParam] === undefined) throw invalidUrl(url.text, '?streams= takes 1 or 0');
  const streams = streamsParam === null ? {} : { streams: FLAGS[streamsParam] === true };
  const query = url.rest.indexOf('?');
  const path = query === -1 ? url.rest : url.rest.slice(0, query);
  const region = url.params.get('region') ? { region: url.params.get('region')! } : {};
  if (path.startsWith('//')) {
    const match = /^\/\/([^/?#]+)(?:\/([^/]*))?$/.exec(path);
    if (!match) throw invalidUrl(url.text, 'expected dynamodb://host:port/table');
    const tls = url.params.get('tls');
    if (tls !== null && !['1', 'true', '0', 'false'].includes(tls)) throw invalidUrl(url.text, '?tls= takes 1 or 0');
    const scheme = tls === '1' || tls === 'true' ? 'https' : 'http';
    return { endpoint: `${scheme}://${match[1]}`, ...region, ...streams, ...tableOf(url, match[2] ? decodeURIComponent(match[2]) : '') };
  }
  if (url.params.has('tls')) throw invalidUrl(url.text, '?tls= is for dynamodb://host:port/table endpoints only (AWS is always TLS)');
  return { ...region, ...streams, ...tableOf(url, decodeURIComponent(path)) };
}

function tableOf(url: ParsedStoreUrl, table: string): { tableName?: string } {
  if (table === '') return {};
  if (!TABLE_NAME.test(table)) throw invalidUrl(url.text, `"${table}" is not a DynamoDB table name (3 to 255 characters of A-Z a-z 0-9 _ . -)`);
  return { tableName: table };
}

/**
 * The store options a URL gives, over `options` (what the URL says wins). The region is
 * `?region=`, else the `region` option, else `AWS_REGION`, `AWS_DEFAULT_REGION`, else
 * `us-east-1` (as the CLI always did). A local or compatible
 * endpoint gets placeholder credentials when neither `clientConfig.credentials` nor
 * `AWS_ACCESS_KEY_ID` gives any: DynamoDB Local accepts any, and the SDK refuses to send
 * without.
 */
export function dynamoUrlOptions<M extends JsonObject>(input: string | ParsedStoreUrl, options: DynamoSessionStoreOptions<M>): DynamoSessionStoreOptions<M> {
  const url = parseDynamoUrl(input);
  const region = url.region ?? options.region ?? (process.env['AWS_REGION'] || process.env['AWS_DEFAULT_REGION'] || 'us-east-1');
  const placeholder = url.endpoint !== undefined && options.clientConfig?.credentials === undefined && !process.env['AWS_ACCESS_KEY_ID'];
  return {
    ...options,
    region,
    ...(url.endpoint !== undefined && { endpoint: url.endpoint }),
    ...(url.tableName !== undefined && { tableName: url.tableName }),
    ...(url.streams !== undefined && { streams: url.streams ? (options.streams || true) : false }),
    ...(placeholder && { clientConfig: { ...options.clientConfig, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } }),
  };
}
