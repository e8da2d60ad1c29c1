import type { MemoryBacking, RawInspector } from '@sessions/core';

/** The in-memory records as text, the way a backend's inspector renders keys or rows: what an attacker with the data reads. */
export function memoryInspector(backing: MemoryBacking): RawInspector {
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
