import type { RawInspector } from '@sessions/conformance';
import type { MemoryBacking } from '@sessions/core';
import type { EncryptedSessionStore } from '../../src/index.js';

/**
 * The in-memory records as text, the way a backend's inspector renders keys or rows. With
 * `opener`, each message record also shows its decrypted text, so the suite's raw-record checks
 * ("a popped message leaves no record") can find their markers; without it, this is exactly what
 * an attacker with the data would read.
 */
export function memoryInspector(backing: MemoryBacking, opener?: EncryptedSessionStore): RawInspector {
  const open = (userId: string, sessionId: string, seq: number, text: string): string => {
    if (!opener) return '';
    const opened = opener.codec.openMessage(userId, sessionId, { seq, createdAt: new Date(0), message: JSON.parse(text) as never });
    return opened ? ` (decrypted: ${JSON.stringify(opened.message)})` : '';
  };
  const render = (userId: string, sessionId?: string) =>
    backing
      .sessionsOf(userId)
      .filter((state) => sessionId === undefined || state.id === sessionId)
      .flatMap((state) => [
        `session ${JSON.stringify([state.userId, state.id])} ${state.metadataText} lastSeq=${state.lastSeq}`,
        ...state.messages.map((m) => `message ${JSON.stringify([state.userId, state.id, m.seq])} ${m.text}${open(state.userId, state.id, m.seq, m.text)}`),
        ...[...state.idempotency.keys()].map((key) => `idempotency ${JSON.stringify([state.userId, state.id, key])}`),
      ]);
  return {
    userRecords: async (userId) => render(userId),
    sessionRecords: async (userId, sessionId) => render(userId, sessionId),
    sessionExpiry: async (userId, sessionId) => backing.sessionsOf(userId).find((s) => s.id === sessionId)?.expiresAt,
  };
}
