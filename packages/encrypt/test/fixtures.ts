import { InMemorySessionStore, MemoryBacking, type JsonObject } from '@sessions/core';
import { encryptStore, type EncryptedSessionStore, type EncryptStoreOptions } from '../src/index.js';

/** Fixed test keys (never use fixed keys outside tests). */
export const KEY_A = Buffer.alloc(32, 0xa1);
export const KEY_B = Buffer.alloc(32, 0xb2);
export const KEY_C = Buffer.alloc(32, 0xc3);

/** An encrypted store over an in-memory store, plus a raw (unwrapped) view of the same data. */
export interface Stores {
  store: EncryptedSessionStore;
  raw: InMemorySessionStore;
  backing: MemoryBacking;
  /** Another encrypted store over the same data, with other options. */
  reopen(options?: Partial<EncryptStoreOptions>): EncryptedSessionStore;
}

export function memoryStores(options: Partial<EncryptStoreOptions> = {}, clock?: () => number): Stores {
  const backing = new MemoryBacking();
  const inner = () => new InMemorySessionStore({ backing, ...(clock ? { clock } : {}) });
  const build = (extra: Partial<EncryptStoreOptions>) =>
    encryptStore(inner(), { keys: { a: KEY_A }, currentKeyId: 'a', ...(clock ? { clock } : {}), ...options, ...extra });
  return { store: build({}), raw: inner(), backing, reopen: build };
}

/** Everything the raw store holds for a user, as text: what an attacker with the database reads. */
export async function rawText(raw: InMemorySessionStore, userId: string): Promise<string> {
  const parts: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await raw.listSessions(userId, { cursor, limit: 1000 });
    for (const info of page.items) parts.push(JSON.stringify(await raw.getSession(userId, info.id)));
    cursor = page.nextCursor;
  } while (cursor);
  return parts.join('\n');
}

/** The raw stored messages of a session (the envelopes). */
export async function rawMessages(raw: InMemorySessionStore, userId: string, sessionId: string): Promise<JsonObject[]> {
  return (await raw.getMessages(userId, sessionId)).map((m) => m.message);
}
