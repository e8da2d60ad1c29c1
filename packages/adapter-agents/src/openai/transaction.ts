import { createHash } from 'node:crypto';
import { types } from 'node:util';
import { storeErrors, type JsonObject } from '@sessions/core';
import { canonicalJson } from '../shared/canonical-json.js';
import { encodeItems, UnstorableItemError } from './item-codec.js';

/** Errors raised by the OpenAI Agents adapter, prefixed `[sessions] [openai-agents]`. */
export const agentErrors = storeErrors('openai-agents');

/** A history transaction after validation, its items already in stored form. */
export type ParsedTransaction =
  | { type: 'append_items'; items: JsonObject[] }
  | { type: 'replace_suffix'; expectedSuffix: JsonObject[]; replacement: JsonObject[] };

/** The SDK's transaction arguments after validation. */
export interface ParsedTransactionArgs {
  operationId: string;
  transaction: ParsedTransaction;
}

/** The fields each transaction type has, exactly (the SDK's `MemorySession` rejects any other). */
const FIELDS: Record<ParsedTransaction['type'], readonly string[]> = {
  append_items: ['items', 'type'],
  replace_suffix: ['expectedSuffix', 'replacement', 'type'],
};

/**
 * Validates `applyHistoryTransaction` arguments before anything is written (the SDK requires a
 * rejection to leave history and the operation log untouched), as strictly as the SDK's
 * `MemorySession`: the envelope is read once (its `operationId` may be a getter), the
 * transaction has exactly the fields of its type, and the items are copied by
 * {@link encodeItems}. Messages contain the SDK's own wording, so code that matches on it keeps
 * working, and never quote item content.
 */
export function parseTransactionArgs(args: unknown): ParsedTransactionArgs {
  let operationId: unknown;
  let transaction: unknown;
  try {
    if (args === null || typeof args !== 'object') throw new TypeError('not an object');
    operationId = Reflect.get(args, 'operationId');
    transaction = Reflect.get(args, 'transaction');
  } catch {
    // The cause is left out on purpose: a throwing getter's message may carry a secret.
    throw agentErrors.invalid('Session history transaction arguments are invalid. Pass { operationId, transaction }.');
  }
  if (typeof operationId !== 'string' || operationId.trim() === '') {
    throw agentErrors.invalid('Session history transaction operationId must be a non-empty string.');
  }
  if (transaction === null || typeof transaction !== 'object' || Array.isArray(transaction)) {
    throw agentErrors.invalid('Session history transaction must be an object.');
  }
  const record = snapshotEnvelope(transaction);
  const type = record['type'];
  if (type !== 'append_items' && type !== 'replace_suffix') {
    throw agentErrors.invalid(`Unsupported session history transaction type ${JSON.stringify(type) ?? typeof type}; expected "append_items" or "replace_suffix".`);
  }
  const fields = Object.keys(record).sort();
  if (fields.join() !== FIELDS[type].join()) {
    const kind = type === 'append_items' ? 'append' : 'suffix';
    throw agentErrors.invalid(
      `Session history ${kind} transaction fields are invalid: expected exactly ${FIELDS[type].join(', ')}, got ${fields.join(', ')}.`,
    );
  }
  if (type === 'append_items') return { operationId, transaction: { type, items: items(record, 'items') } };
  return {
    operationId,
    transaction: { type, expectedSuffix: items(record, 'expectedSuffix'), replacement: items(record, 'replacement') },
  };
}

/**
 * The idempotency key of a transaction's `generation`-th application. Generation 1 is the key
 * earlier versions used, so their operations are still recognised; a later generation is used
 * once the operation's first application was forgotten (cleared or compacted away), the way
 * `MemorySession.clearSession` forgets operation ids. Prefixed so it never collides with keys
 * the application passes to `append` itself; hashed when the SDK's id would be too long.
 */
export function transactionKey(operationId: string, generation: number): string {
  const plain = `openai-agents:${operationId}`;
  const base = plain.length <= 200 ? plain : `openai-agents:sha256:${sha256(operationId)}`;
  return generation === 1 ? base : `${base}#${generation}`;
}

/** SHA-256 of the canonical JSON of a transaction: what earlier versions kept in their records. */
export function legacyDigest(transaction: ParsedTransaction): string {
  return sha256(canonicalJson(transaction));
}

/** The transaction's own fields, read once and without running getters or proxy traps. */
function snapshotEnvelope(transaction: object): Record<string, unknown> {
  const invalid = (reason: string) =>
    agentErrors.invalid(`Session history transaction items contain invalid or unsupported data: the transaction ${reason}.`);
  if (types.isProxy(transaction)) throw invalid('is a Proxy');
  const prototype: unknown = Object.getPrototypeOf(transaction);
  if (prototype !== Object.prototype && prototype !== null) throw invalid('is not a plain object');
  const record: Record<string, unknown> = {};
  for (const key of Reflect.ownKeys(transaction)) {
    const descriptor = Object.getOwnPropertyDescriptor(transaction, key);
    if (typeof key !== 'string') throw invalid('has a symbol key');
    if (!descriptor || !('value' in descriptor)) throw invalid(`field ${key} is a getter or setter`);
    if (!descriptor.enumerable) throw invalid(`field ${key} is not enumerable`);
    Object.defineProperty(record, key, { value: descriptor.value, enumerable: true, writable: true, configurable: true });
  }
  return record;
}

function items(record: Record<string, unknown>, name: string): JsonObject[] {
  try {
    return encodeItems(record[name], name);
  } catch (error) {
    if (!(error instanceof UnstorableItemError)) throw error;
    throw agentErrors.invalid(`Session history transaction items contain invalid or unsupported data: ${error.message}.`);
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
