import { readFileSync } from 'node:fs';
import { InMemorySessionStore, MemoryBacking, type JsonObject } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { encryption, parseKeyList, reencryptSession } from '../src/index.js';
import { keyIds, rawState, rawTexts } from './fixtures.js';

/**
 * Data written by the first release's wrapper (`encryptStore` over an in-memory store), produced
 * by that code before the codec replaced it: format-1 envelopes (`{"v":1,"kid","n","ct"}`) for
 * messages and metadata values, and a session written with a bare key through the CLI's key
 * syntax (its key id is the key's fingerprint).
 */
interface Fixture {
  keys: Record<string, string>;
  cliBareKey: string;
  cliKeyId: string;
  options: { encryptMetadata: boolean; plaintextMetadataKeys: string[] };
  sessions: { userId: string; sessionId: string; metadataText: string; entries: { seq: number; text: string }[]; messages: JsonObject[]; metadata: JsonObject }[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/v1-envelopes.json', import.meta.url), 'utf8')) as Fixture;

/** A backing holding the fixture's records exactly as the old wrapper stored them. */
async function loadFixture(): Promise<MemoryBacking> {
  const backing = new MemoryBacking();
  const raw = new InMemorySessionStore({ backing });
  for (const session of fixture.sessions) {
    const now = new Date();
    await raw.restoreSession(session.userId, { id: session.sessionId, metadata: {}, createdAt: now, updatedAt: now, expiresAt: null, lastSeq: session.entries.length });
    const state = rawState(backing, session.userId, session.sessionId);
    state.metadataText = session.metadataText;
    state.messages = session.entries.map((entry) => ({ seq: entry.seq, createdAt: now.getTime(), text: entry.text }));
  }
  return backing;
}

describe('envelopes written by the first release', () => {
  const [alice, bob] = fixture.sessions;

  it('decrypt, messages and metadata, with the same keys', async () => {
    const backing = await loadFixture();
    const codec = encryption({ keys: fixture.keys, currentKeyId: 'a', ...fixture.options });
    const store = new InMemorySessionStore({ backing, codecs: [codec] });
    const session = await store.getSession(alice!.userId, alice!.sessionId);
    expect(session!.messages.map((m) => m.message)).toEqual(alice!.messages);
    expect(session!.metadata).toEqual(alice!.metadata);
    // New writes go in the current format, next to the old ones.
    await store.append(alice!.userId, alice!.sessionId, { role: 'user', content: 'new' });
    expect(keyIds(backing, alice!.userId, alice!.sessionId)).toEqual(['v1:a', 'v1:a', 'v1:a', 'v1:b', 'a']);
    expect((await store.getMessages(alice!.userId, alice!.sessionId)).map((m) => m.message)).toEqual([...alice!.messages, { role: 'user', content: 'new' }]);
  });

  it('are rewritten in the current format under the current key by a rotation', async () => {
    const backing = await loadFixture();
    const codec = encryption({ keys: { ...fixture.keys, c: 'hcQ9XGnbuMGDi7/fBdx4VapoxdpNZ8uXxzTvqHesVEU=' }, currentKeyId: 'c', ...fixture.options });
    const store = new InMemorySessionStore({ backing, codecs: [codec] });
    expect(await reencryptSession(store, codec, alice!.userId, alice!.sessionId)).toEqual({ sessions: 1, messages: 4 });
    expect(keyIds(backing, alice!.userId, alice!.sessionId)).toEqual(['c', 'c', 'c', 'c']);
    expect(rawState(backing, alice!.userId, alice!.sessionId).metadataText).not.toContain('"v":1');
    const onlyC = new InMemorySessionStore({ backing, codecs: [encryption({ keys: { c: 'hcQ9XGnbuMGDi7/fBdx4VapoxdpNZ8uXxzTvqHesVEU=' }, currentKeyId: 'c', ...fixture.options })] });
    const session = await onlyC.getSession(alice!.userId, alice!.sessionId);
    expect(session!.messages.map((m) => m.message)).toEqual(alice!.messages);
    expect(session!.metadata).toEqual(alice!.metadata);
  });

  it('written with a bare key decrypt when that key is given later under an id (`id:key` rotation)', async () => {
    const backing = await loadFixture();
    const bare = parseKeyList(fixture.cliBareKey);
    expect(bare.currentKeyId).toBe(fixture.cliKeyId);
    const rotatedList = parseKeyList(`2026-07:${fixture.keys['b']!},2026-01:${fixture.cliBareKey}`);
    expect(rotatedList).toMatchObject({ currentKeyId: '2026-07', hmacKeyId: '2026-01' });
    const codec = encryption(rotatedList);
    const store = new InMemorySessionStore({ backing, codecs: [codec] });
    expect((await store.getMessages(bob!.userId, bob!.sessionId)).map((m) => m.message)).toEqual(bob!.messages);
    // The library form too: the key under any id, given as bytes.
    const asBytes = encryption({ keys: { old: Buffer.from(fixture.cliBareKey, 'base64') }, currentKeyId: 'old' });
    expect((await new InMemorySessionStore({ backing, codecs: [asBytes] }).getMessages(bob!.userId, bob!.sessionId)).map((m) => m.message)).toEqual(bob!.messages);
    // And the rotation moves it under the new id.
    expect(await reencryptSession(store, codec, bob!.userId, bob!.sessionId)).toEqual({ sessions: 1, messages: 1 });
    expect(keyIds(backing, bob!.userId, bob!.sessionId)).toEqual(['2026-07']);
  });
});

/**
 * Data written by the codec before format 3 existed: format-2 envelopes (`"~2~kid~..."`,
 * AES-256-GCM) for messages (under two keys) and metadata values.
 */
interface V2Fixture {
  keys: Record<string, string>;
  options: { encryptMetadata: boolean; plaintextMetadataKeys: string[] };
  sessions: { userId: string; sessionId: string; metadataText: string; entries: { seq: number; text: string }[]; messages: JsonObject[]; metadata: JsonObject }[];
}

const v2 = JSON.parse(readFileSync(new URL('./fixtures/v2-envelopes.json', import.meta.url), 'utf8')) as V2Fixture;

async function loadV2(): Promise<MemoryBacking> {
  const backing = new MemoryBacking();
  const raw = new InMemorySessionStore({ backing });
  for (const session of v2.sessions) {
    const now = new Date();
    await raw.restoreSession(session.userId, { id: session.sessionId, metadata: {}, createdAt: now, updatedAt: now, expiresAt: null, lastSeq: session.entries.length });
    const state = rawState(backing, session.userId, session.sessionId);
    state.metadataText = session.metadataText;
    state.messages = session.entries.map((entry) => ({ seq: entry.seq, createdAt: now.getTime(), text: entry.text }));
  }
  return backing;
}

describe.each(['sodium-native', 'node:crypto'] as const)('format-2 envelopes (AES-256-GCM), read with binding %s', (binding) => {
  const [alice] = v2.sessions;

  it('decrypt, messages and metadata; new writes go next to them in the current format', async () => {
    const backing = await loadV2();
    const codec = encryption({ keys: v2.keys, currentKeyId: 'a', ...v2.options, binding });
    const store = new InMemorySessionStore({ backing, codecs: [codec] });
    const session = await store.getSession(alice!.userId, alice!.sessionId);
    expect(session!.messages.map((m) => m.message)).toEqual(alice!.messages);
    expect(session!.metadata).toEqual(alice!.metadata);
    await store.append(alice!.userId, alice!.sessionId, { role: 'user', content: 'new' });
    expect(keyIds(backing, alice!.userId, alice!.sessionId)).toEqual(['a', 'a', 'b', 'a']);
    expect(rawTexts(backing, alice!.userId, alice!.sessionId)[3]).toMatch(new RegExp(`^"~${codec.cipher.format}~a~`));
    expect((await store.getMessages(alice!.userId, alice!.sessionId)).map((m) => m.message)).toEqual([...alice!.messages, { role: 'user', content: 'new' }]);
  });

  it('are rewritten under the current key by a rotation, and only those under another key', async () => {
    const backing = await loadV2();
    const codec = encryption({ keys: v2.keys, currentKeyId: 'b', ...v2.options, binding });
    const store = new InMemorySessionStore({ backing, codecs: [codec] });
    expect(await reencryptSession(store, codec, alice!.userId, alice!.sessionId)).toEqual({ sessions: 1, messages: 2 });
    expect(rawTexts(backing, alice!.userId, alice!.sessionId).map((t) => t.slice(0, 5))).toEqual([`"~${codec.cipher.format}~b`, `"~${codec.cipher.format}~b`, '"~2~b']);
    const onlyB = new InMemorySessionStore({ backing, codecs: [encryption({ keys: { b: v2.keys['b']! }, currentKeyId: 'b', ...v2.options, binding })] });
    const session = await onlyB.getSession(alice!.userId, alice!.sessionId);
    expect(session!.messages.map((m) => m.message)).toEqual(alice!.messages);
    expect(session!.metadata).toEqual(alice!.metadata);
  });
});
