import { randomUUID } from 'node:crypto';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { decodeListCursor, type ListCursor } from './cursor.js';
import { storeErrors, type StoreErrors } from './errors.js';
import { jsonProblem, utf8Length } from './json.js';
import {
  DEFAULT_LIST_LIMIT,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_PURGE_BATCH_SIZE,
  MAX_ID_LENGTH,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_LIST_LIMIT,
  MAX_METADATA_BYTES,
} from './limits.js';
import type { JsonObject } from './types.js';

/** Options every store accepts for its input checks. */
export interface InputGuardOptions<M extends JsonObject = JsonObject> {
  /** The backend name used in error messages. */
  backend: string;
  /** Largest encoded message, in bytes. @default 262144 (256 KiB) */
  maxMessageBytes?: number;
  /** A Standard Schema (e.g. a zod schema) every appended message must satisfy. */
  messageSchema?: StandardSchemaV1<unknown, M>;
}

/** The checked arguments of an `append` call, as {@link InputGuard.append} returns them. */
export interface CheckedAppend<M> {
  userId: string;
  sessionId: string;
  expectedLastSeq: number | undefined;
  idempotencyKey: string | undefined;
  create: boolean;
  batch: PreparedBatch<M>;
}

/** A validated batch of messages, ready to store. */
export interface PreparedBatch<M> {
  /** The messages (as returned by the schema when there is one). */
  messages: M[];
  /** Each message's JSON text, in the same order: what a backend stores. */
  encoded: string[];
  /** Sum of the encoded lengths in UTF-8 bytes. */
  totalBytes: number;
}

// C0 and C1 control characters, DEL included.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The input checks of the contract (rule 7), shared by every backend so they all accept and
 * reject exactly the same things, with the same messages. Every method throws a
 * `SessionStoreError` (`INVALID_ARGUMENT` or `TOO_LARGE`) before anything is written.
 */
export class InputGuard<M extends JsonObject = JsonObject> {
  readonly errors: StoreErrors;
  readonly maxMessageBytes: number;
  private readonly schema: StandardSchemaV1<unknown, M> | undefined;

  constructor(options: InputGuardOptions<M>) {
    this.errors = storeErrors(options.backend);
    const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (!Number.isSafeInteger(max) || max <= 0) {
      throw this.errors.invalid(`maxMessageBytes must be a positive integer, got ${String(max)}`);
    }
    this.maxMessageBytes = max;
    this.schema = options.messageSchema;
  }

  /** A user id, trimmed. */
  userId(value: unknown): string {
    return this.id(value, 'userId');
  }

  /** A session id, trimmed. */
  sessionId(value: unknown): string {
    return this.id(value, 'sessionId');
  }

  /** The id for a new session: the given one trimmed, or a UUID v4 when absent or blank. */
  newSessionId(value: unknown): string {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      return randomUUID();
    }
    return this.id(value, 'sessionId');
  }

  /** An idempotency key (kept as given: not trimmed), or `undefined`. */
  idempotencyKey(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw this.errors.invalid(`idempotencyKey must be a string of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
    }
    if (CONTROL_CHARS.test(value) || !value.isWellFormed()) {
      throw this.errors.invalid('idempotencyKey must not contain control characters or lone surrogates');
    }
    return value;
  }

  /** A `limit`: `undefined` (no limit) or a non-negative integer. */
  limit(value: unknown, name = 'limit'): number | undefined {
    if (value === undefined) return undefined;
    return this.nonNegativeInt(value, name);
  }

  /** The page size of `listSessions`: default 50, at most 1000. */
  listLimit(value: unknown): number {
    if (value === undefined) return DEFAULT_LIST_LIMIT;
    const limit = this.nonNegativeInt(value, 'limit');
    if (limit > MAX_LIST_LIMIT) throw this.errors.invalid(`limit must be at most ${MAX_LIST_LIMIT}, got ${limit}`);
    return limit;
  }

  /** A `listSessions` cursor, decoded; `null` for the first page. */
  cursor(value: unknown): ListCursor | null {
    if (value === undefined || value === null) return null;
    const decoded = typeof value === 'string' ? decodeListCursor(value) : null;
    if (!decoded) throw this.errors.invalid('cursor is not a nextCursor returned by listSessions');
    return decoded;
  }

  /** A seq bound (`beforeSeq`, `afterSeq`, `uptoSeq`, `expectedLastSeq`): a non-negative integer, or `undefined`. */
  seq(value: unknown, name: string): number | undefined {
    if (value === undefined) return undefined;
    return this.nonNegativeInt(value, name);
  }

  /** A TTL in ms: a positive integer, `null` (never expires), or `undefined` (not given). */
  ttlMs(value: unknown): number | null | undefined {
    if (value === undefined || value === null) return value;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      throw this.errors.invalid(`ttlMs must be a positive integer number of milliseconds or null, got ${String(value)}`);
    }
    return value;
  }

  /** Which end `getMessages`' `limit` counts from: `"end"` (the default) or `"start"`. */
  readFrom(value: unknown): 'start' | 'end' {
    if (value === undefined || value === 'end') return 'end';
    if (value === 'start') return 'start';
    throw this.errors.invalid(`from must be "start" or "end", got ${JSON.stringify(value) ?? typeof value}`);
  }

  /** The `create` option of append: a boolean, default `true`. */
  create(value: unknown): boolean {
    if (value === undefined) return true;
    if (typeof value !== 'boolean') throw this.errors.invalid(`create must be a boolean, got ${typeof value}`);
    return value;
  }

  /**
   * Every argument of `append`, checked in the same order by every backend (ids, options,
   * then the messages, which are encoded once): nothing is written when any of them is wrong.
   */
  async append(
    userId: unknown,
    sessionId: unknown,
    messages: M | M[],
    options: { expectedLastSeq?: unknown; idempotencyKey?: unknown; create?: unknown } = {},
  ): Promise<CheckedAppend<M>> {
    return {
      userId: this.userId(userId),
      sessionId: this.sessionId(sessionId),
      expectedLastSeq: this.seq(options.expectedLastSeq, 'expectedLastSeq'),
      idempotencyKey: this.idempotencyKey(options.idempotencyKey),
      create: this.create(options.create),
      batch: await this.messages(messages),
    };
  }

  /** `purgeExpired`'s batch size: a positive integer, default 500. */
  batchSize(value: unknown): number {
    if (value === undefined) return DEFAULT_PURGE_BATCH_SIZE;
    const size = this.nonNegativeInt(value, 'batchSize');
    if (size === 0) throw this.errors.invalid('batchSize must be at least 1');
    return size;
  }

  /**
   * Metadata for a new session: a plain JSON object of at most 64 KiB. Keys set to `null`
   * (or `undefined`) are dropped, so `null` always means "absent".
   */
  metadata(value: unknown): JsonObject {
    if (value === undefined) return {};
    const patch = this.metadataPatch(value);
    const result: JsonObject = {};
    for (const [key, item] of Object.entries(patch)) {
      if (item !== null) Object.defineProperty(result, key, { value: item, enumerable: true, writable: true, configurable: true });
    }
    return result;
  }

  /** A metadata patch for `updateSession`: a plain JSON object of at most 64 KiB (`null` values kept: they mean "remove"). */
  metadataPatch(value: unknown): JsonObject {
    const problem = jsonProblem(value);
    if (problem) throw this.errors.invalid(`metadata ${problem}`);
    const encoded = JSON.stringify(value);
    if (utf8Length(encoded) > MAX_METADATA_BYTES) {
      throw this.errors.tooLarge(`metadata is ${utf8Length(encoded)} bytes encoded; the limit is ${MAX_METADATA_BYTES}`);
    }
    return JSON.parse(encoded) as JsonObject;
  }

  /** Checks the size of metadata after a merge (the merged object may outgrow the limit). */
  metadataSize(merged: JsonObject): string {
    const encoded = JSON.stringify(merged);
    if (utf8Length(encoded) > MAX_METADATA_BYTES) {
      throw this.errors.tooLarge(`metadata would be ${utf8Length(encoded)} bytes encoded; the limit is ${MAX_METADATA_BYTES}`);
    }
    return encoded;
  }

  /**
   * Validates one message or a batch (JSON-only, size limit, the store's schema when it has
   * one) and encodes each message once. An empty batch is `INVALID_ARGUMENT`.
   */
  async messages(input: M | M[]): Promise<PreparedBatch<M>> {
    const list: unknown[] = Array.isArray(input) ? input : [input];
    if (list.length === 0) throw this.errors.invalid('append needs at least one message; got an empty array');
    const messages: M[] = [];
    const encoded: string[] = [];
    let totalBytes = 0;
    for (let i = 0; i < list.length; i++) {
      const where = list.length === 1 ? 'message' : `message ${i}`;
      let message = list[i];
      const problem = jsonProblem(message);
      if (problem) throw this.errors.invalid(`${where} ${problem}`);
      if (this.schema) message = await this.validateSchema(message, where);
      const text = JSON.stringify(message);
      const bytes = utf8Length(text);
      if (bytes > this.maxMessageBytes) {
        throw this.errors.tooLarge(`${where} is ${bytes} bytes encoded; the limit is ${this.maxMessageBytes} (option maxMessageBytes)`);
      }
      totalBytes += bytes;
      messages.push(message as M);
      encoded.push(text);
    }
    return { messages, encoded, totalBytes };
  }

  private async validateSchema(message: unknown, where: string): Promise<M> {
    const result = await this.schema!['~standard'].validate(message);
    if (result.issues) {
      const first = result.issues[0];
      const path = first?.path?.map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.') ?? '';
      throw this.errors.invalid(`${where} does not match the store's messageSchema${path ? ` at ${path}` : ''}: ${first?.message ?? 'invalid'}`);
    }
    const problem = jsonProblem(result.value);
    if (problem) throw this.errors.invalid(`${where} after messageSchema ${problem}`);
    return result.value;
  }

  private id(value: unknown, name: string): string {
    if (typeof value !== 'string') throw this.errors.invalid(`${name} must be a string, got ${value === null ? 'null' : typeof value}`);
    const trimmed = value.trim();
    if (trimmed.length === 0) throw this.errors.invalid(`${name} must not be empty or blank`);
    if (CONTROL_CHARS.test(trimmed)) throw this.errors.invalid(`${name} must not contain control characters`);
    if (!trimmed.isWellFormed()) throw this.errors.invalid(`${name} must be well-formed unicode (it has a lone surrogate)`);
    // Count code points, not UTF-16 units, so an emoji counts as one character.
    let length = 0;
    for (const _ of trimmed) if (++length > MAX_ID_LENGTH) break;
    if (length > MAX_ID_LENGTH) throw this.errors.invalid(`${name} must be at most ${MAX_ID_LENGTH} characters`);
    return trimmed;
  }

  private nonNegativeInt(value: unknown, name: string): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw this.errors.invalid(`${name} must be a non-negative integer, got ${typeof value === 'number' ? value : typeof value}`);
    }
    return value;
  }
}
