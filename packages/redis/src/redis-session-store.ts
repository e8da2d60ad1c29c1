import {
  InputGuard,
  MAX_METADATA_BYTES,
  RestoreGuard,
  encodeListCursor,
  systemClock,
  type AppendOptions,
  type AppendResult,
  type Clock,
  type CreateSessionOptions,
  type ForkSessionOptions,
  type GetMessagesOptions,
  type GetOrCreateSessionOptions,
  type GetSessionOptions,
  type HealthStatus,
  type JsonObject,
  type ListSessionsOptions,
  type Page,
  type PurgeExpiredOptions,
  type Session,
  type SessionInfo,
  type SessionSnapshot,
  type SessionStore,
  type StoreErrors,
  type StoredMessage,
  type UpdateSessionOptions,
} from '@sessions/core';
import { Cluster, Redis } from 'ioredis';
import { deleteUserSessions, liveUsers, purgeIndexes, type AdminContext } from './admin.js';
import { decodeMessage, decodeMessages, decodeRecord, limitArg, metadataArgs, newSessionInfo, seqArg, ttlArg } from './codec.js';
import { mapRedisError, type ScriptErrorContext } from './errors.js';
import { pingHealth } from './health.js';
import { closeOwnedClient, checkClientAndPrefix, markOwned, takeOwnership } from './client-ownership.js';
import { DEFAULT_KEY_PREFIX, KeySpace, decodeSessionId, encodeSessionId, type SessionKeys } from './keys.js';
import {
  DEFAULT_HEALTH_TIMEOUT_MS,
  type RedisClient,
  type RedisFromClusterOptions,
  type RedisFromUrlOptions,
  type RedisSessionStoreOptions,
  type RedisStoreSettings,
} from './options.js';
import { liveAt, messageRange, readMessages, type ReadCommand } from './reads.js';
import { restoreMessagesArgs, restoreSessionArgs } from './restore-args.js';
import { ScriptRunner } from './script-runner.js';
import * as lua from './scripts/index.js';
import type { RedisScript } from './scripts/index.js';

/** The backend name in this store's error messages. */
export const REDIS_BACKEND = 'redis';

/**
 * A `SessionStore` on Redis or Redis Cluster (ioredis). Every call is one round trip: writes
 * run as Lua scripts that assign seqs, check `expectedLastSeq` and idempotency keys, slide the
 * TTL of every key of the session and move the listing-index entry in one atomic step. All
 * keys of a user share a hash tag, so each script stays in one cluster slot. See the README
 * for the key layout.
 */
export class RedisSessionStore<M extends JsonObject = JsonObject> implements SessionStore<M> {
  readonly backend = REDIS_BACKEND;
  /** The ioredis client the store works through. */
  readonly client: RedisClient;
  private readonly keys: KeySpace;
  private readonly scripts: ScriptRunner;
  private readonly guard: InputGuard<M>;
  private readonly restore: RestoreGuard<M>;
  private readonly errors: StoreErrors;
  private readonly clock: Clock;
  private readonly defaultTtlMs: number | null;
  private readonly healthTimeoutMs: number;
  private readonly ownsClient: boolean;
  private readonly admin: AdminContext;
  private closed = false;

  constructor(options: RedisSessionStoreOptions<M>) {
    this.guard = new InputGuard<M>({ backend: REDIS_BACKEND, maxMessageBytes: options.maxMessageBytes, messageSchema: options.messageSchema });
    this.restore = new RestoreGuard(this.guard);
    this.errors = this.guard.errors;
    const prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    checkClientAndPrefix(options.client, prefix, this.errors);
    this.ownsClient = takeOwnership(options.client);
    this.client = options.client;
    this.keys = new KeySpace(prefix);
    this.scripts = new ScriptRunner(options.client);
    this.clock = options.clock ?? systemClock;
    this.defaultTtlMs = this.guard.ttlMs(options.ttlMs) ?? null;
    this.healthTimeoutMs = options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
    this.admin = {
      client: this.client,
      keys: this.keys,
      scripts: this.scripts,
      now: () => this.now(),
      open: () => this.open(),
      fail: (error) => mapRedisError(this.errors, error),
    };
  }

  /** A store over a new client connected to `url` (`redis://[:password@]host:port[/db]`); `close()` closes that client. */
  static fromUrl<M extends JsonObject = JsonObject>(url: string, options: RedisFromUrlOptions<M> = {}): RedisSessionStore<M> {
    const { redisOptions, ...settings } = options;
    const client = redisOptions ? new Redis(url, redisOptions) : new Redis(url);
    return RedisSessionStore.owning(client, settings);
  }

  /** A store over a new Redis Cluster client seeded with `nodes` (`host:port` strings); `close()` closes it. */
  static fromClusterNodes<M extends JsonObject = JsonObject>(nodes: string[], options: RedisFromClusterOptions<M> = {}): RedisSessionStore<M> {
    const { clusterOptions, ...settings } = options;
    const client = new Cluster(nodes, clusterOptions);
    return RedisSessionStore.owning(client, settings);
  }

  private static owning<M extends JsonObject>(client: RedisClient, settings: RedisStoreSettings<M>): RedisSessionStore<M> {
    markOwned(client);
    try {
      return new RedisSessionStore<M>({ ...settings, client });
    } catch (error) {
      client.disconnect();
      throw error;
    }
  }

  async createSession(userId: string, options: CreateSessionOptions = {}): Promise<SessionInfo> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.newSessionId(options.sessionId);
    const metadata = this.guard.metadata(options.metadata);
    const ttlMs = this.ttlOrDefault(this.guard.ttlMs(options.ttlMs));
    const now = this.now();
    const k = this.keys.session(user, id);
    const args = [...this.writeArgs(now, k), 'create', ttlArg(ttlMs), '', ...metadataArgs(metadata)];
    await this.run(lua.createSessionScript, k, args, { userId: user, sessionId: id });
    return newSessionInfo(user, id, metadata, ttlMs, now);
  }

  async getSession(userId: string, sessionId: string, options: GetSessionOptions = {}): Promise<Session<M> | null> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const limit = this.guard.limit(options.limit);
    const k = this.keys.session(user, id);
    // A script, so the record and its messages are read at the same instant.
    const reply = await this.run<[string[], string[]] | null>(lua.readSessionScript, [k.record, k.messages], [String(this.now()), limitArg(limit)]);
    if (!reply) return null;
    return { ...decodeRecord(user, id, reply[0]), messages: decodeMessages<M>(reply[1]) };
  }

  async getOrCreateSession(userId: string, sessionId: string, options: GetOrCreateSessionOptions = {}): Promise<Session<M> & { created: boolean }> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const limit = this.guard.limit(options.limit);
    const metadata = this.guard.metadata(options.metadata);
    const ttlMs = this.ttlOrDefault(this.guard.ttlMs(options.ttlMs));
    const now = this.now();
    const k = this.keys.session(user, id);
    const args = [...this.writeArgs(now, k), 'getOrCreate', ttlArg(ttlMs), limitArg(limit), ...metadataArgs(metadata)];
    const reply = await this.run<[1] | [0, string[], string[]]>(lua.createSessionScript, k, args, { userId: user, sessionId: id });
    if (reply[0] === 1) return { ...newSessionInfo(user, id, metadata, ttlMs, now), messages: [], created: true };
    return { ...decodeRecord(user, id, reply[1]), messages: decodeMessages<M>(reply[2]), created: false };
  }

  async listSessions(userId: string, options: ListSessionsOptions = {}): Promise<Page<SessionInfo>> {
    this.open();
    const user = this.guard.userId(userId);
    const limit = this.guard.listLimit(options.limit);
    const cursor = this.guard.cursor(options.cursor);
    if (limit === 0) return { items: [], nextCursor: null };
    const args = [
      String(this.now()),
      this.keys.userBase(user),
      cursor ? String(cursor.updatedAt) : '',
      cursor ? encodeSessionId(cursor.id) : '',
      String(limit + 1),
    ];
    const reply = await this.run<(string | string[])[]>(lua.listSessionsScript, [this.keys.index(user)], args);
    const items: SessionInfo[] = [];
    for (let i = 0; i < reply.length && items.length < limit; i += 2) {
      items.push(decodeRecord(user, decodeSessionId(reply[i] as string), reply[i + 1] as string[]));
    }
    const last = items[items.length - 1];
    const more = reply.length / 2 > limit && last !== undefined;
    return { items, nextCursor: more ? encodeListCursor({ updatedAt: last.updatedAt.getTime(), id: last.id }) : null };
  }

  async updateSession(userId: string, sessionId: string, options: UpdateSessionOptions): Promise<SessionInfo> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    if (typeof options !== 'object' || options === null) throw this.errors.invalid('updateSession needs an options object { metadata?, ttlMs? }');
    const patch = options.metadata === undefined ? undefined : this.guard.metadataPatch(options.metadata);
    const ttlMs = this.guard.ttlMs(options.ttlMs);
    const now = this.now();
    const k = this.keys.session(user, id);
    const ttlMode = ttlMs === undefined ? 'keep' : ttlMs === null ? 'none' : 'set';
    const args = [...this.writeArgs(now, k), ttlMode, ttlArg(ttlMs ?? null), String(MAX_METADATA_BYTES), ...metadataArgs(patch)];
    const fields = await this.run<string[]>(lua.updateSessionScript, k, args, { userId: user, sessionId: id });
    return decodeRecord(user, id, fields);
  }

  async deleteSession(userId: string, sessionId: string): Promise<boolean> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const k = this.keys.session(user, id);
    return (await this.run<number>(lua.deleteSessionScript, k, [String(this.now()), k.encodedId])) === 1;
  }

  async deleteUser(userId: string): Promise<number> {
    this.open();
    return deleteUserSessions(this.admin, this.guard.userId(userId));
  }

  async append(userId: string, sessionId: string, messages: M | M[], options: AppendOptions = {}): Promise<AppendResult> {
    this.open();
    const { userId: user, sessionId: id, expectedLastSeq, idempotencyKey: key, create, batch } = await this.guard.append(userId, sessionId, messages, options);
    this.open();
    const now = this.now();
    const k = this.keys.session(user, id);
    const args = [
      ...this.writeArgs(now, k),
      ttlArg(this.defaultTtlMs),
      create ? '1' : '0',
      expectedLastSeq === undefined ? '' : String(expectedLastSeq),
      key ?? '',
      ...batch.encoded,
    ];
    const [firstSeq, lastSeq, duplicate] = await this.run<[number, number, number]>(lua.appendScript, k, args, {
      userId: user,
      sessionId: id,
      expectedLastSeq,
    });
    return { firstSeq, lastSeq, duplicate: duplicate === 1 };
  }

  async getMessages(userId: string, sessionId: string, options: GetMessagesOptions = {}): Promise<StoredMessage<M>[]> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const limit = this.guard.limit(options.limit);
    const afterSeq = this.guard.seq(options.afterSeq, 'afterSeq');
    const beforeSeq = this.guard.seq(options.beforeSeq, 'beforeSeq');
    const from = this.guard.readFrom(options.from);
    if (limit === 0) return [];
    const k = this.keys.session(user, id);
    const { command, reversed } = messageRange(k.messages, { afterSeq, beforeSeq, limit, from });
    const now = this.now();
    const [fields, members] = await this.read(k.record, command);
    if (!liveAt(fields, now)) return [];
    if (reversed) members.reverse();
    return decodeMessages<M>(members);
  }

  async popMessage(userId: string, sessionId: string): Promise<StoredMessage<M> | null> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const k = this.keys.session(user, id);
    const member = await this.run<string | null>(lua.popMessageScript, k, this.writeArgs(this.now(), k));
    return member === null ? null : decodeMessage<M>(member);
  }

  async clearSession(userId: string, sessionId: string): Promise<void> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const k = this.keys.session(user, id);
    await this.run(lua.clearSessionScript, k, this.writeArgs(this.now(), k));
  }

  async forkSession(userId: string, sessionId: string, options: ForkSessionOptions = {}): Promise<SessionInfo> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const newId = this.guard.newSessionId(options.newSessionId);
    const uptoSeq = this.guard.seq(options.uptoSeq, 'uptoSeq');
    const patch = options.metadata === undefined ? undefined : this.guard.metadataPatch(options.metadata);
    const now = this.now();
    const source = this.keys.session(user, id);
    const target = this.keys.session(user, newId);
    const keys = [...sessionKeyList(source), target.record, target.messages, target.idempotency];
    const args = [...this.writeArgs(now, target), seqArg(uptoSeq), JSON.stringify(id), String(MAX_METADATA_BYTES), ...metadataArgs(patch)];
    const fields = await this.run<string[]>(lua.forkSessionScript, keys, args, { userId: user, sessionId: id, targetSessionId: newId });
    return decodeRecord(user, newId, fields);
  }

  async *listUsers(): AsyncIterable<string> {
    this.open();
    yield* liveUsers(this.admin);
  }

  async restoreSession(userId: string, snapshot: SessionSnapshot): Promise<void> {
    this.open();
    const user = this.guard.userId(userId);
    const now = this.now();
    const checked = this.restore.snapshot(snapshot, now);
    const k = this.keys.session(user, checked.id);
    const args = restoreSessionArgs(checked, k.encodedId, now);
    await this.run(lua.restoreSessionScript, k, args, { userId: user, sessionId: checked.id });
  }

  async restoreMessages(userId: string, sessionId: string, messages: StoredMessage<M>[]): Promise<void> {
    this.open();
    const user = this.guard.userId(userId);
    const id = this.guard.sessionId(sessionId);
    const batch = await this.restore.batch(messages);
    this.open();
    const k = this.keys.session(user, id);
    const args = restoreMessagesArgs(batch, this.now());
    const bounds = (highestHeld: number, lastSeq: number) => {
      try {
        this.restore.bounds(batch, highestHeld, lastSeq);
      } catch (error) {
        return error as ReturnType<StoreErrors['invalid']>;
      }
      return this.errors.invalid(`restored seqs do not fit the session (highest held ${highestHeld}, lastSeq ${lastSeq})`);
    };
    await this.run(lua.restoreMessagesScript, [k.record, k.messages], args, { userId: user, sessionId: id, bounds });
  }

  async purgeExpired(options: PurgeExpiredOptions = {}): Promise<number> {
    this.open();
    return purgeIndexes(this.admin, this.guard.batchSize(options.batchSize));
  }

  async health(): Promise<HealthStatus> {
    if (this.closed) return { ok: false, latencyMs: 0, detail: 'the store is closed' };
    return pingHealth(this.client, this.healthTimeoutMs);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsClient) await closeOwnedClient(this.client);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The arguments every session write starts with: now, the encoded id, its index score for now. */
  private writeArgs(now: number, k: SessionKeys): string[] {
    return [String(now), k.encodedId, String(-now)];
  }

  private run<T = unknown>(script: RedisScript, keys: SessionKeys | string[], args: string[], context?: ScriptErrorContext): Promise<T> {
    const keyList = Array.isArray(keys) ? keys : sessionKeyList(keys);
    return this.scripts.run<T>(script, keyList, args).catch((error: unknown) => {
      throw mapRedisError(this.errors, error, context);
    });
  }

  /** The session's liveness fields and a message range, sent together: one round trip. */
  private read(record: string, range: ReadCommand): Promise<[(string | null)[], string[]]> {
    return readMessages(this.client, record, range).catch((error: unknown) => {
      throw mapRedisError(this.errors, error);
    });
  }

  private ttlOrDefault(ttlMs: number | null | undefined): number | null {
    return ttlMs === undefined ? this.defaultTtlMs : ttlMs;
  }

  private now(): number {
    return Math.floor(this.clock());
  }

  private open(): void {
    if (this.closed) throw this.errors.closed();
  }
}

function sessionKeyList(k: SessionKeys): string[] {
  return [k.record, k.messages, k.idempotency, k.index];
}
