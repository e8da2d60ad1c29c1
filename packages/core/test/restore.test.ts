import { describe, expect, it } from 'vitest';
import { InMemorySessionStore, type SessionSnapshot } from '../src/index.js';
import { expectCode } from './helpers.js';

const at = (iso: string) => new Date(iso);
const snapshot = (overrides: Partial<SessionSnapshot> = {}): SessionSnapshot => ({
  id: 's',
  metadata: { title: 't' },
  createdAt: at('2025-01-01T00:00:00.000Z'),
  updatedAt: at('2025-01-02T00:00:00.000Z'),
  expiresAt: null,
  lastSeq: 10,
  ...overrides,
});

describe('restoreSession and restoreMessages', () => {
  it('restores a session exactly, then messages with their own seqs and createdAt', async () => {
    const store = new InMemorySessionStore();
    await store.restoreSession('u', snapshot());
    await store.restoreMessages('u', 's', [
      { seq: 2, createdAt: at('2025-01-01T01:00:00.000Z'), message: { n: 2 } },
      { seq: 5, createdAt: at('2025-01-01T02:00:00.000Z'), message: { n: 5 } },
    ]);
    await store.restoreMessages('u', 's', [{ seq: 10, createdAt: at('2025-01-01T03:00:00.000Z'), message: { n: 10 } }]);
    const session = await store.getSession('u', 's');
    expect(session).toMatchObject({ id: 's', metadata: { title: 't' }, lastSeq: 10, messageCount: 3, expiresAt: null });
    expect(session?.createdAt).toEqual(at('2025-01-01T00:00:00.000Z'));
    expect(session?.updatedAt).toEqual(at('2025-01-02T00:00:00.000Z'));
    expect(session?.messages.map((m) => [m.seq, m.createdAt.toISOString()])).toEqual([
      [2, '2025-01-01T01:00:00.000Z'],
      [5, '2025-01-01T02:00:00.000Z'],
      [10, '2025-01-01T03:00:00.000Z'],
    ]);
    expect((await store.append('u', 's', { n: 11 })).firstSeq).toBe(11);
  });

  it('refuses an existing session, an expired snapshot and malformed snapshots', async () => {
    const store = new InMemorySessionStore();
    await store.restoreSession('u', snapshot());
    await expectCode(store.restoreSession('u', snapshot()), 'ALREADY_EXISTS');
    await expectCode(store.restoreSession('u', snapshot({ id: 'e', expiresAt: new Date(Date.now() - 1) })), 'INVALID_ARGUMENT');
    await expectCode(store.restoreSession('u', snapshot({ id: 'x', createdAt: new Date(Number.NaN) })), 'INVALID_ARGUMENT');
    await expectCode(store.restoreSession('u', snapshot({ id: 'x', lastSeq: -1 })), 'INVALID_ARGUMENT');
    await expectCode(store.restoreSession('u', snapshot({ id: ' ' })), 'INVALID_ARGUMENT');
    expect((await store.listSessions('u')).items.map((s) => s.id)).toEqual(['s']);
  });

  it('refuses seqs out of order, at or below what is held, above lastSeq, and a missing session; writes nothing then', async () => {
    const store = new InMemorySessionStore();
    await store.restoreSession('u', snapshot({ lastSeq: 5 }));
    const m = (seq: number) => ({ seq, createdAt: at('2025-01-01T00:00:00.000Z'), message: { seq } });
    await store.restoreMessages('u', 's', [m(3)]);
    await expectCode(store.restoreMessages('u', 's', [m(4), m(4)]), 'INVALID_ARGUMENT');
    await expectCode(store.restoreMessages('u', 's', [m(3)]), 'INVALID_ARGUMENT');
    await expectCode(store.restoreMessages('u', 's', [m(4), m(6)]), 'INVALID_ARGUMENT');
    await expectCode(store.restoreMessages('u', 's', [m(0)]), 'INVALID_ARGUMENT');
    await expectCode(store.restoreMessages('u', 's', [{ ...m(4), createdAt: 'yesterday' as unknown as Date }]), 'INVALID_ARGUMENT');
    await expectCode(store.restoreMessages('u', 's', [{ ...m(4), message: { n: 1n } as never }]), 'INVALID_ARGUMENT');
    await expectCode(store.restoreMessages('u', 'missing', [m(1)]), 'NOT_FOUND');
    expect((await store.getMessages('u', 's')).map((x) => x.seq)).toEqual([3]);
    expect((await store.getSession('u', 's'))?.messageCount).toBe(1);
  });
});
