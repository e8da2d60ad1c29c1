import type { RawInspector } from '@sessions/conformance';
import type { EncryptedSessionStore } from '../../src/index.js';

// A flat JSON object, possibly escaped inside another JSON string (Redis hashes, DynamoDB items).
const FLAT_OBJECT = /\{[^{}]*\}/g;
const field = (name: string, value: string) => new RegExp(`\\\\*"${name}\\\\*"\\s*:\\s*\\\\*"(${value})`);
const KID = field('kid', '[A-Za-z0-9._:-]+');
const NONCE = field('n', '[A-Za-z0-9+/=]*');
const CT = field('ct', '[A-Za-z0-9+/=]*');

/**
 * Wraps a backend's raw inspector for the conformance suite: each session record that holds
 * envelopes also shows their decrypted text, so the suite's raw checks (a popped message leaves no
 * record behind) can find their plaintext markers. Records, counts and expiry stay exactly the
 * backend's. Never use it to prove the absence of plaintext: use the raw inspector for that.
 */
export function decryptingInspector(raw: RawInspector, opener: EncryptedSessionStore): RawInspector {
  const decorate = (userId: string, sessionId: string, record: string): string => {
    const opened: string[] = [];
    for (const [object] of record.matchAll(FLAT_OBJECT)) {
      const kid = KID.exec(object)?.[1];
      const n = NONCE.exec(object)?.[1];
      const ct = CT.exec(object)?.[1];
      if (kid === undefined || n === undefined || ct === undefined) continue;
      try {
        const message = opener.codec.openMessage(userId, sessionId, { seq: 0, createdAt: new Date(0), message: { v: 1, kid, n, ct } });
        if (message) opened.push(JSON.stringify(message.message));
      } catch {
        // Not a message of this session (a journal record, another session's envelope): shown as stored.
      }
    }
    return opened.length === 0 ? record : `${record} (decrypted: ${opened.join(', ')})`;
  };
  return {
    userRecords: (userId) => raw.userRecords(userId),
    sessionRecords: async (userId, sessionId) => (await raw.sessionRecords(userId, sessionId)).map((record) => decorate(userId, sessionId, record)),
    sessionExpiry: (userId, sessionId) => raw.sessionExpiry(userId, sessionId),
  };
}
