import type { JsonObject, StoredMessage } from '@sessions/core';
import { canonicalJson } from '../shared/canonical-json.js';
import { encodeItems, UnstorableItemError } from './item-codec.js';
import { agentErrors } from './transaction.js';

/** A `replace_function_call` mutation after validation, its replacement in stored form. */
export interface ParsedMutation {
  callId: string;
  replacement: JsonObject;
}

/** How to store a mutated history: rewrite some items in place, or replace everything from a seq on. */
export type MutationPlan =
  | { kind: 'none' }
  | { kind: 'rewrite'; rewrites: { seq: number; message: JsonObject }[] }
  | { kind: 'replace-tail'; afterSeq: number; messages: JsonObject[] };

/**
 * Validates `applyHistoryMutations` arguments before anything is written. The SDK defines one
 * mutation, `replace_function_call`; any other type is `INVALID_ARGUMENT` rather than skipped,
 * so a change the caller asked for is never silently dropped.
 */
export function parseMutations(args: unknown): ParsedMutation[] {
  let fields: { type: unknown; callId: unknown; replacement: unknown }[];
  try {
    const mutations: unknown = args !== null && typeof args === 'object' ? Reflect.get(args, 'mutations') : undefined;
    if (!Array.isArray(mutations)) throw new TypeError('no mutations array');
    fields = mutations.map((mutation: unknown) => {
      if (mutation === null || typeof mutation !== 'object') return { type: undefined, callId: undefined, replacement: undefined };
      return { type: Reflect.get(mutation, 'type'), callId: Reflect.get(mutation, 'callId'), replacement: Reflect.get(mutation, 'replacement') };
    });
  } catch {
    // The cause is left out on purpose: a throwing getter's message may carry a secret.
    throw agentErrors.invalid('applyHistoryMutations needs { mutations: [...] } (the arguments could not be read)');
  }
  return fields.map(({ type, callId, replacement }, index) => {
    const at = `mutations[${index}]`;
    if (type !== 'replace_function_call') {
      throw agentErrors.invalid(`${at}.type ${JSON.stringify(type) ?? typeof type} is not supported; expected "replace_function_call"`);
    }
    if (typeof callId !== 'string' || callId === '') throw agentErrors.invalid(`${at}.callId must be a non-empty string`);
    let encoded: JsonObject;
    try {
      [encoded] = encodeItems([replacement], `${at}.replacement`) as [JsonObject];
    } catch (error) {
      if (!(error instanceof UnstorableItemError)) throw error;
      throw agentErrors.invalid(`Session history mutation contains invalid or unsupported data: ${error.message}`);
    }
    if (encoded['type'] !== 'function_call') throw agentErrors.invalid(`${at}.replacement must be a function_call item`);
    return { callId, replacement: encoded };
  });
}

/**
 * Applies the mutations to the stored history as the SDK does (each replaces the first
 * `function_call` with its `callId` and drops the later ones), and says how to store the
 * result with the least rewriting: in place when no item was dropped (seqs and `createdAt`
 * kept), otherwise a replacement of the tail from the first dropped item.
 */
export function planMutations(items: StoredMessage[], mutations: ParsedMutation[]): MutationPlan {
  let next: { seq: number; message: JsonObject }[] = items.map(({ seq, message }) => ({ seq, message }));
  for (const { callId, replacement } of mutations) {
    let replaced = false;
    next = next.flatMap((entry) => {
      if (entry.message['type'] !== 'function_call' || entry.message['callId'] !== callId) return [entry];
      if (replaced) return [];
      replaced = true;
      return [{ seq: entry.seq, message: replacement }];
    });
  }
  const changed = (entry: { seq: number; message: JsonObject }, index: number) =>
    entry.seq !== items[index]?.seq || canonicalJson(entry.message) !== canonicalJson(items[index]?.message);
  if (next.length !== items.length) {
    // Something was dropped: everything from the first changed item on is written again.
    const found = next.findIndex(changed);
    const from = found >= 0 ? found : next.length;
    const afterSeq = (items[from] as StoredMessage).seq - 1;
    return { kind: 'replace-tail', afterSeq, messages: next.slice(from).map((entry) => entry.message) };
  }
  const rewrites = next.filter(changed);
  return rewrites.length === 0 ? { kind: 'none' } : { kind: 'rewrite', rewrites };
}
