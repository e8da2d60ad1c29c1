import { describe, expect, it } from 'vitest';
import type { SuiteContext } from '../context.js';
import { chatMessages, expectCode, expectExpiresAfterWrite, expectTimeBetween, jsonForm, present, seqsOf } from '../helpers.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** createSession, getSession and getOrCreateSession: shapes, ids, timestamps, ALREADY_EXISTS, atomic read-or-create. */
export function createGetBehaviour(ctx: SuiteContext): void {
  describe('create and get', () => {
    it('createSession returns the new empty session and getSession reads it back', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const before = Date.now();
      const info = await ctx.store.createSession(userId, { sessionId, metadata: { title: 'Hello', n: 1 } });
      const after = Date.now();
      expect(info).toMatchObject({
        userId,
        id: sessionId,
        metadata: { title: 'Hello', n: 1 },
        expiresAt: null,
        messageCount: 0,
        lastSeq: 0,
      });
      expect(info).not.toHaveProperty('messages');
      expectTimeBetween(info.createdAt, before, after);
      expect(info.updatedAt.getTime()).toBe(info.createdAt.getTime());
      const session = await ctx.store.getSession(userId, sessionId);
      expect(session).toEqual({ ...info, messages: [] });
    });

    it('generates a UUID v4 when sessionId is absent or blank, and trims a padded id', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const generated = await ctx.store.createSession(userId);
      const blank = await ctx.store.createSession(userId, { sessionId: '   ' });
      expect(generated.id).toMatch(UUID_V4);
      expect(blank.id).toMatch(UUID_V4);
      expect(blank.id).not.toBe(generated.id);
      const padded = await ctx.store.createSession(userId, { sessionId: `  ${sessionId}\t` });
      expect(padded.id).toBe(sessionId);
      expect((await ctx.store.getSession(userId, ` ${sessionId} `))?.id).toBe(sessionId);
      expect((await ctx.store.getSession(`  ${userId}  `, sessionId))?.userId).toBe(userId);
    });

    it('drops metadata keys whose value is null', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const info = await ctx.store.createSession(userId, { sessionId, metadata: { keep: 'yes', drop: null } });
      expect(info.metadata).toEqual({ keep: 'yes' });
      expect((await ctx.store.getSession(userId, sessionId))?.metadata).toEqual({ keep: 'yes' });
    });

    it('rejects a second createSession with ALREADY_EXISTS and leaves the first untouched', async () => {
      const { userId, sessionId } = ctx.freshIds();
      await ctx.store.createSession(userId, { sessionId, metadata: { v: 1 } });
      await ctx.store.append(userId, sessionId, chatMessages(2));
      const before = await ctx.store.getSession(userId, sessionId);
      await expectCode(ctx.store.createSession(userId, { sessionId, metadata: { v: 2 } }), 'ALREADY_EXISTS');
      await expectCode(ctx.store.createSession(userId, { sessionId: ` ${sessionId} ` }), 'ALREADY_EXISTS');
      expect(await ctx.store.getSession(userId, sessionId)).toEqual(before);
    });

    it('getSession returns null for a missing session and never creates it', async () => {
      const { userId, sessionId } = ctx.freshIds();
      expect(await ctx.store.getSession(userId, sessionId)).toBeNull();
      expect(await ctx.store.getSession(userId, sessionId, { limit: 5 })).toBeNull();
      expect((await ctx.store.listSessions(userId)).items).toEqual([]);
    });

    it('getSession returns all messages, or the newest `limit`, oldest first', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const messages = chatMessages(5);
      await ctx.store.append(userId, sessionId, messages);
      const full = await ctx.store.getSession(userId, sessionId);
      expect(full?.messages.map((m) => m.message)).toEqual(jsonForm(messages));
      expect(seqsOf(full?.messages ?? [])).toEqual([1, 2, 3, 4, 5]);
      expect(full).toMatchObject({ messageCount: 5, lastSeq: 5 });
      const newest = await ctx.store.getSession(userId, sessionId, { limit: 2 });
      expect(seqsOf(newest?.messages ?? [])).toEqual([4, 5]);
      expect(newest).toMatchObject({ messageCount: 5, lastSeq: 5 });
      expect((await ctx.store.getSession(userId, sessionId, { limit: 0 }))?.messages).toEqual([]);
    });

    it('getOrCreateSession creates once, then reads, ignoring the create options of later calls', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const first = await ctx.store.getOrCreateSession(userId, sessionId, { metadata: { v: 1, gone: null } });
      expect(first).toMatchObject({ created: true, userId, id: sessionId, metadata: { v: 1 }, messageCount: 0, lastSeq: 0, messages: [] });
      await ctx.store.append(userId, sessionId, chatMessages(3));
      const second = await ctx.store.getOrCreateSession(userId, sessionId, { metadata: { v: 2 }, limit: 2 });
      expect(second).toMatchObject({ created: false, metadata: { v: 1 }, messageCount: 3, lastSeq: 3 });
      expect(seqsOf(second.messages)).toEqual([2, 3]);
      expect(second.createdAt.getTime()).toBe(first.createdAt.getTime());
      const all = await ctx.store.getOrCreateSession(userId, ` ${sessionId} `);
      expect(all.created).toBe(false);
      expect(seqsOf(all.messages)).toEqual([1, 2, 3]);
    });

    it('getOrCreateSession is atomic: concurrent calls create exactly once', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => ctx.store.getOrCreateSession(userId, sessionId, { metadata: { caller: i } })),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const winner = present(results.find((r) => r.created), 'the creating call');
      const stored = await ctx.store.getSession(userId, sessionId);
      expect(stored?.metadata).toEqual(winner.metadata);
      for (const result of results) expect(result.createdAt.getTime()).toBe(winner.createdAt.getTime());
    });

    it('getOrCreateSession applies ttlMs on create', async () => {
      const { userId, sessionId } = ctx.freshIds();
      const before = Date.now();
      const created = await ctx.store.getOrCreateSession(userId, sessionId, { ttlMs: 60_000 });
      const after = Date.now();
      expectExpiresAfterWrite(created.expiresAt, before, after, 60_000, ctx.capabilities.ttlGranularityMs);
    });
  });
}
