import type { RawInspector } from '@sessions/core';
import type { EncryptionCodec } from '../../src/index.js';

// A format-2 or format-3 envelope anywhere in a raw record (inside a JSON string, a Redis value, a DynamoDB item).
const ENVELOPE = /~([23])~([A-Za-z0-9._:-]+)~([A-Za-z0-9_-]+)/g;

/**
 * Wraps a backend's raw inspector for the conformance suite: each session record that holds
 * envelopes also shows their decrypted text, so the suite's raw checks (a popped message leaves
 * no record behind) can find their plaintext markers. Records, counts and expiry stay exactly
 * the backend's. Never use it to prove the absence of plaintext: use the raw inspector for that.
 */
export function decryptingInspector(raw: RawInspector, codec: EncryptionCodec): RawInspector {
  const decorate = (userId: string, sessionId: string, record: string): string => {
    const opened: string[] = [];
    for (const [, format, kid, body] of record.matchAll(ENVELOPE)) {
      try {
        const [entry] = codec.decode([{ seq: 0, createdAt: Date.now(), text: `"~${format}~${kid}~${body}"` }], { userId, sessionId });
        if (entry) opened.push(entry.text);
      } catch {
        // A metadata value or another session's envelope: shown as stored.
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
