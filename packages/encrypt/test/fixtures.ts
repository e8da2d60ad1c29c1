import { createHash } from 'node:crypto';
import { InMemorySessionStore, MemoryBacking, type Clock, type SessionState, type StoreOptions } from '@sessions/core';
import { encryption, type EncryptionCodec, type EncryptionOptions } from '../src/index.js';

/** Fixed test keys, random-looking (never use fixed keys outside tests). */
export const KEY_A = createHash('sha256').update('sessions encrypt test key A').digest();
export const KEY_B = createHash('sha256').update('sessions encrypt test key B').digest();
export const KEY_C = createHash('sha256').update('sessions encrypt test key C').digest();

/** An encrypted in-memory store, its codec, and the raw records of the same data. */
export interface Stores {
  store: InMemorySessionStore;
  codec: EncryptionCodec;
  backing: MemoryBacking;
  /** Another encrypted store over the same data, with other codec options. */
  reopen(options?: Partial<EncryptionOptions>, storeOptions?: StoreOptions): { store: InMemorySessionStore; codec: EncryptionCodec };
}

export function memoryStores(options: Partial<EncryptionOptions> = {}, clock?: Clock, storeOptions: StoreOptions = {}): Stores {
  const backing = new MemoryBacking();
  const build = (extra: Partial<EncryptionOptions>, more: StoreOptions = {}) => {
    const codec = encryption({ keys: { a: KEY_A }, currentKeyId: 'a', ...(clock ? { clock } : {}), ...options, ...extra });
    const store = new InMemorySessionStore({ backing, ...(clock ? { clock } : {}), ...storeOptions, ...more, codecs: [codec] });
    return { store, codec };
  };
  const first = build({});
  return { ...first, backing, reopen: build };
}

/** The raw record of a session (what an attacker with the data reads). */
export function rawState(backing: MemoryBacking, userId: string, sessionId: string): SessionState {
  const state = backing.sessionsOf(userId).find((s) => s.id === sessionId);
  if (!state) throw new Error(`no raw session ${userId}/${sessionId}`);
  return state;
}

/** The stored texts of a session's messages. */
export function rawTexts(backing: MemoryBacking, userId: string, sessionId: string): string[] {
  return rawState(backing, userId, sessionId).messages.map((m) => m.text);
}

/** Everything the backing holds for a user, as text. */
export function rawText(backing: MemoryBacking, userId: string): string {
  return backing
    .sessionsOf(userId)
    .map((s) => [s.metadataText, ...s.messages.map((m) => m.text), ...s.idempotency.keys()].join('\n'))
    .join('\n');
}

/** Replaces the stored text of one message (tampering, or data written by another program). */
export function setRawText(backing: MemoryBacking, userId: string, sessionId: string, seq: number, text: string): void {
  const state = rawState(backing, userId, sessionId);
  state.messages = state.messages.map((m) => (m.seq === seq ? { ...m, text } : m));
}

/** The key id of each stored envelope of a session (formats 2 and 3: `"~2~<id>~..."`; format 1: `{"kid":...}`, shown as `v1:<id>`). */
export function keyIds(backing: MemoryBacking, userId: string, sessionId: string): string[] {
  return rawTexts(backing, userId, sessionId).map((text) => (/^"~[23]~/.test(text) ? text.split('~')[2]! : `v1:${String((JSON.parse(text) as { kid: string }).kid)}`));
}
