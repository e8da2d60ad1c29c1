import { createHash } from 'node:crypto';
import { InMemorySessionStore, type SessionStore } from '@sessions/core';
import { CliError, usageError } from './cli-error.js';
import { DEFAULT_STORE_URL, parseStoreUrl, redactUrl, type StoreUrl } from './store-url.js';

/** The store URL to use: `--store`, else `$SESSIONS_STORE`, else the embedded default. */
export function resolveStoreUrl(flag: string | undefined): StoreUrl & { text: string } {
  // An empty value counts as unset, as shells often export empty variables.
  const text = flag || process.env['SESSIONS_STORE'] || DEFAULT_STORE_URL;
  return { ...parseStoreUrl(text), text };
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** Wrap the store in `@sessions/encrypt`: one base64 key, or `id:key,id:key` (the first is current). */
  encryptKey?: string;
  /** Create the schema or table when missing (embedded stores always do). @default false */
  migrate?: boolean;
}

/**
 * Opens the store a URL names, each backend loaded only when used. The store owns its client,
 * so `close()` releases everything. Connection failures become one clear line naming the URL
 * (without its password) and what to check.
 */
export async function openStore(url: StoreUrl & { text: string }, options: OpenStoreOptions = {}): Promise<SessionStore> {
  let store: SessionStore;
  try {
    store = await openBackend(url, options.migrate ?? false);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot open the store ${redactUrl(url.text)}: ${error instanceof Error ? error.message : String(error)}`, 1, { cause: error });
  }
  if (!options.encryptKey) return store;
  const { encryptStore } = await import('@sessions/encrypt');
  const { keys, currentKeyId } = parseKeys(options.encryptKey);
  try {
    return encryptStore(store, { keys, currentKeyId });
  } catch (error) {
    await store.close();
    throw usageError(`--encrypt-key / SESSIONS_ENCRYPTION_KEY is not usable: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function openBackend(url: StoreUrl, migrate: boolean): Promise<SessionStore> {
  switch (url.kind) {
    case 'memory':
      return new InMemorySessionStore();
    case 'pglite': {
      const { PostgresSessionStore } = await import('@sessions/postgres');
      return PostgresSessionStore.openEmbedded(url.dataDir ? { dataDir: url.dataDir } : {});
    }
    case 'postgres': {
      const { PostgresSessionStore } = await import('@sessions/postgres');
      const store = await PostgresSessionStore.fromUrl(url.url, url.schema ? { schema: url.schema } : {});
      if (migrate) await store.migrate();
      return store;
    }
    case 'redis': {
      const { RedisSessionStore } = await import('@sessions/redis');
      // Fail fast on an unreachable server instead of retrying for ever.
      return RedisSessionStore.fromUrl(url.url, {
        ...(url.keyPrefix !== undefined && { keyPrefix: url.keyPrefix }),
        redisOptions: { maxRetriesPerRequest: 1, connectTimeout: 5000, retryStrategy: (times) => (times > 3 ? null : 200) },
      });
    }
    case 'redis-cluster': {
      const { RedisSessionStore } = await import('@sessions/redis');
      const auth = { ...(url.username && { username: url.username }), ...(url.password && { password: url.password }), ...(url.tls && { tls: {} }) };
      return RedisSessionStore.fromClusterNodes(
        url.nodes.map((n) => `${n.host}:${n.port}`),
        {
          ...(url.keyPrefix !== undefined && { keyPrefix: url.keyPrefix }),
          clusterOptions: { redisOptions: { ...auth, connectTimeout: 5000 }, clusterRetryStrategy: (times) => (times > 3 ? null : 200) },
        },
      );
    }
    case 'dynamodb': {
      const { DynamoSessionStore } = await import('@sessions/dynamo');
      const local = url.endpoint !== undefined && !process.env['AWS_ACCESS_KEY_ID'];
      const store = new DynamoSessionStore({
        tableName: url.table,
        region: url.region,
        ...(url.endpoint && { endpoint: url.endpoint }),
        // A local endpoint (DynamoDB Local) accepts any credentials; AWS uses the default chain.
        ...(local && { clientConfig: { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } }),
      });
      if (migrate) await store.ensureTable();
      return store;
    }
  }
}

/** Parses `--encrypt-key`: `<base64>` or `id:<base64>,id:<base64>` (the first id is current). */
export function parseKeys(text: string): { keys: Record<string, string>; currentKeyId: string } {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0) throw usageError('--encrypt-key is empty; generate a key with: openssl rand -base64 32');
  const keys: Record<string, string> = {};
  let currentKeyId = '';
  for (const part of parts) {
    const colon = part.indexOf(':');
    // A bare key gets an id derived from its fingerprint, so two different keys never share an id.
    const [id, key] = colon > 0 ? [part.slice(0, colon), part.slice(colon + 1)] : [`k${createHash('sha256').update(part).digest('hex').slice(0, 8)}`, part];
    keys[id] = key;
    currentKeyId ||= id;
  }
  return { keys, currentKeyId };
}
