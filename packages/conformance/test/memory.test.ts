import { InMemorySessionStore, MemoryBacking } from '@sessions/core';
import { describeConformance, type RawInspector } from '../src/index.js';

// One backing per namespace: every store the suite opens over a namespace shares its data, as
// several clients of one server would.
const backings = new Map<string, MemoryBacking>();
const backingOf = (namespace: string) => {
  let backing = backings.get(namespace);
  if (!backing) backings.set(namespace, (backing = new MemoryBacking()));
  return backing;
};

/** Renders the in-memory records as text, the way a backend's inspector renders keys or rows. */
function memoryInspector(backing: MemoryBacking): RawInspector {
  const render = (userId: string, sessionId?: string) =>
    backing
      .sessionsOf(userId)
      .filter((state) => sessionId === undefined || state.id === sessionId)
      .flatMap((state) => [
        `session ${JSON.stringify([state.userId, state.id])} ${state.metadataText} lastSeq=${state.lastSeq}`,
        ...state.messages.map((m) => `message ${JSON.stringify([state.userId, state.id, m.seq])} ${m.text}`),
        ...[...state.idempotency.keys()].map((key) => `idempotency ${JSON.stringify([state.userId, state.id, key])}`),
      ]);
  return {
    userRecords: async (userId) => render(userId),
    sessionRecords: async (userId, sessionId) => render(userId, sessionId),
    sessionExpiry: async (userId, sessionId) => backing.sessionsOf(userId).find((s) => s.id === sessionId)?.expiresAt,
  };
}

describeConformance({
  name: 'memory',
  factory: {
    create: async (namespace, options) => new InMemorySessionStore({ ...options, backing: backingOf(namespace) }),
    inspector: (namespace) => memoryInspector(backingOf(namespace)),
    teardown: async () => backings.clear(),
  },
});
