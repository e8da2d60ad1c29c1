import { openStore } from '@sessions/core';
import { describeConformance, type RawInspector } from '../src/index.js';
import type { Rows } from './example-driver/map-driver.js';
import { MAP_SERVERS } from './example-driver/map-session-store.js';

/** The rows as text, the way a real backend's inspector renders its keys or rows. */
function mapInspector(rows: Rows): RawInspector {
  const render = (userId: string, sessionId?: string) =>
    [...rows.values()]
      .filter((row) => row.userId === userId && (sessionId === undefined || row.id === sessionId))
      .flatMap((row) => [
        `session ${JSON.stringify([row.userId, row.id])} ${JSON.stringify(row.metadata)} lastSeq=${row.lastSeq}`,
        ...row.entries.map((e) => `message ${JSON.stringify([row.userId, row.id, e.seq])} ${e.text}`),
        ...[...row.keys.keys()].map((key) => `idempotency ${JSON.stringify([row.userId, row.id, key])}`),
      ]);
  const rowOf = (userId: string, sessionId: string) => [...rows.values()].find((r) => r.userId === userId && r.id === sessionId);
  return {
    userRecords: async (userId) => render(userId),
    sessionRecords: async (userId, sessionId) => render(userId, sessionId),
    sessionExpiry: async (userId, sessionId) => rowOf(userId, sessionId)?.expiresAt,
  };
}

// The example backend of docs/writing-a-backend.md, opened by URL as an application would:
// each namespace is one named "server", shared by every store the suite opens over it.
describeConformance({
  name: 'example map driver',
  factory: {
    create: (namespace, options) => openStore(`map:${namespace}`, options),
    inspector: (namespace) => {
      let rows = MAP_SERVERS.get(namespace);
      if (!rows) MAP_SERVERS.set(namespace, (rows = new Map()));
      return mapInspector(rows);
    },
    teardown: async () => MAP_SERVERS.clear(),
  },
});
