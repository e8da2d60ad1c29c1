import { createHash } from 'node:crypto';
import { jsonProblem, storeErrors, type JsonObject } from '@sessions/core';
import { canonicalJson } from '../shared/canonical-json.js';
import { encodeItem } from './item-codec.js';

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
  /** SHA-256 of the canonical JSON of the transaction: equal transactions, equal digests. */
  digest: string;
}

/**
 * Validates `applyHistoryTransaction` arguments before anything is written (the SDK requires a
 * rejection to leave history and the operation log untouched).
 */
export function parseTransactionArgs(args: unknown): ParsedTransactionArgs {
  if (!isRecord(args)) throw agentErrors.invalid('history transaction arguments must be an object');
  const { operationId, transaction } = args;
  if (typeof operationId !== 'string' || operationId.trim() === '') {
    throw agentErrors.invalid('history transaction operationId must be a non-empty string');
  }
  if (!isRecord(transaction)) throw agentErrors.invalid('history transaction must be an object');
  let parsed: ParsedTransaction;
  if (transaction['type'] === 'append_items') {
    parsed = { type: 'append_items', items: itemList(transaction['items'], 'items') };
  } else if (transaction['type'] === 'replace_suffix') {
    parsed = {
      type: 'replace_suffix',
      expectedSuffix: itemList(transaction['expectedSuffix'], 'expectedSuffix'),
      replacement: itemList(transaction['replacement'], 'replacement'),
    };
  } else {
    throw agentErrors.invalid(`unsupported history transaction type ${JSON.stringify(transaction['type'])}; expected "append_items" or "replace_suffix"`);
  }
  return { operationId, transaction: parsed, digest: sha256(canonicalJson(parsed)) };
}

/**
 * The idempotency key a transaction uses in the store. Prefixed so it never collides with keys
 * the application passes to `append` itself; hashed when the SDK's id would exceed the store's
 * 512-character key limit.
 */
export function transactionKey(operationId: string): string {
  const key = `openai-agents:${operationId}`;
  return key.length <= 200 ? key : `openai-agents:sha256:${sha256(operationId)}`;
}

function itemList(value: unknown, name: string): JsonObject[] {
  if (!Array.isArray(value)) throw agentErrors.invalid(`history transaction ${name} must be an array of items`);
  return value.map((item, index) => {
    if (!isRecord(item)) throw agentErrors.invalid(`history transaction ${name}[${index}] must be an item object`);
    const encoded = encodeItem(item);
    // Checked here, before the digest is taken, so nothing is written for an unstorable item.
    const problem = jsonProblem(encoded);
    if (problem) throw agentErrors.invalid(`history transaction ${name}[${index}] cannot be stored: ${problem}`);
    return encoded;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
