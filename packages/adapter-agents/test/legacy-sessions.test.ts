import { readFileSync } from 'node:fs';
import { MemorySession, type AgentInputItem } from '@openai/agents-core';
import type { JsonObject, SessionStore } from '@sessions/core';
import type { UIMessage } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UIMessageChatStore } from '../src/ai-sdk/index.js';
import { OpenAIAgentsSession, isHistoryEdit } from '../src/openai/index.js';
import { decodeItem } from '../src/openai/item-codec.js';
import { testBackends } from './support/backends.js';

/** Sessions as the adapters wrote them before they stored real history (see fixtures/README.md). */
interface LegacySession {
  lastSeq: number;
  messages: { seq: number; message: JsonObject }[];
  view: JsonObject[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/legacy-sessions.json', import.meta.url), 'utf8')) as {
  userId: string;
  sessions: Record<string, LegacySession>;
};
const openaiSessions = Object.keys(fixture.sessions).filter((id) => id.startsWith('openai-'));
const user = (text: string): AgentInputItem => ({ type: 'message', role: 'user', content: text });

// Decision: sessions written with history-edit records are read as they were, by every reader
// of this package, and every write keeps them exact. Records are removed with the entries a
// write removes (a clear or a compaction removes them all). No migration step is needed.
describe.each(testBackends())('sessions written with history-edit records, over $name', (backend) => {
  let store: SessionStore;
  let copies = 0;
  const userId = fixture.userId;

  /** A copy of a fixture session under a fresh id, with its seqs, through the store's restore API. */
  async function restore(name: string): Promise<string> {
    const legacy = fixture.sessions[name] as LegacySession;
    const id = `${name}-${(copies += 1)}`;
    const now = new Date();
    await store.restoreSession(userId, { id, metadata: {}, createdAt: now, updatedAt: now, expiresAt: null, lastSeq: legacy.lastSeq });
    await store.restoreMessages(
      userId,
      id,
      legacy.messages.map(({ seq, message }) => ({ seq, createdAt: now, message })),
    );
    return id;
  }
  const view = (name: string) => (fixture.sessions[name] as LegacySession).view.map((item) => decodeItem<AgentInputItem>(item));

  beforeAll(async () => {
    store = await backend.create();
  });
  afterAll(async () => {
    await store.close();
  });

  it.each(openaiSessions)('reads %s exactly as the adapter did, whole and by limit', async (name) => {
    const session = new OpenAIAgentsSession({ store, userId, sessionId: await restore(name) });
    const expected = view(name);
    expect(await session.getItems()).toEqual(expected);
    for (let limit = 1; limit <= expected.length + 1; limit += 1) {
      expect(await session.getItems(limit)).toEqual(expected.slice(Math.max(0, expected.length - limit)));
    }
  });

  it.each(openaiSessions)('changes %s exactly as MemorySession changes the same history', async (name) => {
    const sessionId = await restore(name);
    const ours = new OpenAIAgentsSession({ store, userId, sessionId });
    const reference = new MemorySession({ initialItems: view(name) });
    const same = async () => expect(await ours.getItems()).toEqual(await reference.getItems());

    expect(await ours.popItem()).toEqual(await reference.popItem());
    await same();
    for (const session of [ours, reference]) await session.addItems([user('n1'), user('n2')]);
    await same();
    const replace = {
      operationId: `op-${sessionId}`,
      transaction: { type: 'replace_suffix' as const, expectedSuffix: (await reference.getItems()).slice(-3), replacement: [user('r')] },
    };
    for (const session of [ours, reference]) await session.applyHistoryTransaction(replace);
    await same();
    expect(await ours.popItem()).toEqual(await reference.popItem());
    expect(await ours.popItem()).toEqual(await reference.popItem());
    await same();
    for (const session of [ours, reference]) await session.clearSession();
    for (const session of [ours, reference]) await session.addItems([user('after')]);
    await same();
    // After the clear the store holds exactly the history: the records are gone.
    expect((await store.getMessages(userId, sessionId)).map((entry) => entry.message)).toEqual([user('after')]);
  });

  it('pops the newest item when the newest stored entry is a record', async () => {
    const sessionId = await restore('openai-compacted');
    const session = new OpenAIAgentsSession({ store, userId, sessionId });
    // Hide 'after' behind a record first: pop it the old way, as a log written then would hold it.
    await store.append(userId, sessionId, { type: '@sessions/history-edit', drop: 1 });
    expect(await session.getItems()).toEqual([{ type: 'compaction', encrypted_content: 'summary' }, user('o4')]);
    expect(await session.popItem()).toEqual(user('o4'));
    expect(await session.getItems()).toEqual([{ type: 'compaction', encrypted_content: 'summary' }]);
    // The item and the records after it are removed, not hidden.
    const log = await store.getMessages(userId, sessionId);
    expect(log.at(-1)?.message).toEqual({ type: 'compaction', encrypted_content: 'summary' });

    const cleared = new OpenAIAgentsSession({ store, userId, sessionId: await restore('openai-cleared-last') });
    expect(await cleared.popItem()).toBeUndefined();
    expect(await cleared.getItems()).toEqual([]);
  });

  it('recognises a history transaction applied by the earlier version, by its record digest', async () => {
    // Exactly what the earlier version wrote for op-append (the record and items of the fixture),
    // under the idempotency key it used.
    const legacy = (fixture.sessions['openai-edits'] as LegacySession).messages;
    const batch = legacy.filter((entry) => entry.seq >= 8 && entry.seq <= 10).map((entry) => entry.message);
    expect(batch[0]?.['operationId']).toBe('op-append');
    const sessionId = `legacy-op-${(copies += 1)}`;
    await store.append(userId, sessionId, { type: 'message', role: 'user', content: 'before' });
    await store.append(userId, sessionId, batch, { idempotencyKey: 'openai-agents:op-append' });

    const session = new OpenAIAgentsSession({ store, userId, sessionId });
    const retry = { operationId: 'op-append', transaction: { type: 'append_items' as const, items: [user('f'), user('g')] } };
    await session.applyHistoryTransaction(retry);
    expect(await session.getItems()).toEqual([user('before'), user('f'), user('g')]);
    const reused = { operationId: 'op-append', transaction: { type: 'append_items' as const, items: [user('other')] } };
    await expect(session.applyHistoryTransaction(reused)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await session.getItems()).toEqual([user('before'), user('f'), user('g')]);
  });

  it('reads and saves an AI SDK chat written with records', async () => {
    const chatId = await restore('chat-regenerated');
    const chats = new UIMessageChatStore({ store, userId });
    const saved = (fixture.sessions['chat-regenerated'] as LegacySession).view as unknown as UIMessage[];
    expect(await chats.loadChat(chatId)).toEqual(saved);
    expect(await chats.loadChat(chatId, { limit: 1 })).toEqual(saved.slice(-1));

    const next: UIMessage = { id: 'm4', role: 'user', parts: [{ type: 'text', text: 'More' }] };
    expect(await chats.saveChat({ chatId, messages: [...saved, next] })).toEqual({ appended: 1, removed: 0 });
    expect(await chats.loadChat(chatId)).toEqual([...saved, next]);

    // A regenerate that drops the newest two: they are removed from the store; the older records
    // stay, still hiding the older versions of m2 and m3.
    const answer: UIMessage = { id: 'm5', role: 'assistant', parts: [{ type: 'text', text: 'Again' }] };
    expect(await chats.saveChat({ chatId, messages: [saved[0] as UIMessage, answer] })).toEqual({ appended: 1, removed: 2 });
    expect(await chats.loadChat(chatId)).toEqual([saved[0], answer]);
    const log = await store.getMessages(userId, chatId);
    expect(log.map((entry) => (isHistoryEdit(entry.message) ? 'edit' : entry.message['id']))).toEqual(['m1', 'm2', 'edit', 'm3', 'edit', 'm5']);
  });
});
