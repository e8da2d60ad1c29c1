import { messageSkRange, sessionItemsPrefix, userPk } from '../keys.js';
import { s, type Item } from '../marshal.js';
import type { TableClient } from './table-client.js';

/** The generation tag inside the sort key of a message or idempotency item. */
export function generationOfSk(sk: string): string | null {
  // S#<session>#A#<gen>#<seq>, S#<session>#M#<gen>#<seq> or S#<session>#I#<gen>#<key>; encoded ids hold no '#'.
  const parts = sk.split('#');
  return parts.length >= 5 ? (parts[3] ?? null) : null;
}

/**
 * Deletes the message and idempotency items of a session, of every generation except
 * `keepGen` (the generation of a session created again meanwhile), in batches of 25. Not
 * atomic: callers first make the session invisible (its item deleted or its range cleared).
 */
export async function deleteSessionItems(table: TableClient, userId: string, sessionId: string, keepGen: string | null): Promise<void> {
  const pages = table.queryAll({
    KeyConditionExpression: '#PK = :pk AND begins_with(#SK, :prefix)',
    ExpressionAttributeNames: { '#PK': 'PK', '#SK': 'SK' },
    ExpressionAttributeValues: { ':pk': s(userPk(userId)), ':prefix': s(sessionItemsPrefix(sessionId)) },
    ProjectionExpression: '#PK, #SK',
    ConsistentRead: true,
  });
  for await (const items of pages) {
    const keys = items.filter((item) => keepGen === null || generationOfSk(item['SK']?.S ?? '') !== keepGen).map(keyOf);
    await table.deleteKeys(keys);
  }
}

/** Deletes a generation's messages with seqs in `[from, to]`, in batches of 25. */
export async function deleteMessageRange(table: TableClient, userId: string, sessionId: string, gen: string, from: number, to: number): Promise<void> {
  if (from > to) return;
  const { oldestFirstForward: _, ...range } = messageRange(userId, sessionId, gen, from, to);
  const pages = table.queryAll({ ...range, ProjectionExpression: '#PK, #SK' });
  for await (const items of pages) await table.deleteKeys(items.map(keyOf));
}

/** The primary key of a raw item. */
export function keyOf(item: Item): Item {
  return { PK: item['PK'] ?? { S: '' }, SK: item['SK'] ?? { S: '' } };
}

/**
 * The key condition of a generation's messages with seqs in `[from, to]` (strongly consistent),
 * and the `ScanIndexForward` that returns them oldest first (the two key layouts count opposite ways).
 */
export function messageRange(userId: string, sessionId: string, gen: string, from: number, to: number) {
  const { lo, hi, oldestFirstForward } = messageSkRange(sessionId, gen, from, to);
  return {
    KeyConditionExpression: '#PK = :pk AND #SK BETWEEN :lo AND :hi',
    ExpressionAttributeNames: { '#PK': 'PK', '#SK': 'SK' },
    ExpressionAttributeValues: { ':pk': s(userPk(userId)), ':lo': s(lo), ':hi': s(hi) },
    ConsistentRead: true,
    oldestFirstForward,
  };
}

/** How many messages of a generation are held with seqs in `[from, to]` (a count query: keys only, 1 MB a page). */
export async function countMessages(table: TableClient, userId: string, sessionId: string, gen: string, from: number, to: number): Promise<number> {
  if (from > to) return 0;
  const { oldestFirstForward: _, ...range } = messageRange(userId, sessionId, gen, from, to);
  return table.count(range);
}

/**
 * The keys of a generation's messages with seqs in `[from, to]`, oldest first, at most `max`
 * (`max + 1` are asked for, so a caller sees that the range holds more than it can take).
 */
export async function messageKeys(table: TableClient, userId: string, sessionId: string, gen: string, from: number, to: number, max: number): Promise<Item[]> {
  if (from > to) return [];
  const keys: Item[] = [];
  const { oldestFirstForward, ...range } = messageRange(userId, sessionId, gen, from, to);
  for await (const items of table.queryAll({ ...range, ScanIndexForward: oldestFirstForward, ProjectionExpression: '#PK, #SK', Limit: max + 1 })) {
    for (const item of items) keys.push(keyOf(item));
    if (keys.length > max) break;
  }
  return keys;
}
