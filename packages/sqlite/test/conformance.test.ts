import { describeConformance } from '@sessions/conformance';
import { SqliteSessionStore } from '@sessions/sqlite';
import { sqliteInspector } from '@sessions/sqlite/testing';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe } from 'vitest';
import { tempDir } from './support/temp-dir.js';

describe('SqliteSessionStore on a file', () => {
  const temp = tempDir('conformance');
  // One file per namespace; every store opens its own connection to it, as separate processes
  // would, and the inspector one more.
  const connections = new Set<Database.Database>();
  const setups = new Map<string, Promise<void>>();
  const file = (namespace: string) => join(temp.dir, `${namespace}.db`);
  describeConformance({
    name: 'sqlite-file',
    factory: {
      create: async (namespace, options) => {
        const store = new SqliteSessionStore({ path: file(namespace), ...options });
        if (!setups.has(namespace)) setups.set(namespace, store.setup());
        await setups.get(namespace);
        return store;
      },
      inspector: (namespace) => {
        const db = new Database(file(namespace), { readonly: true });
        connections.add(db);
        return sqliteInspector(db);
      },
      teardown: async () => {
        for (const db of connections) db.close();
        temp.remove();
      },
    },
  });
});

describe('SqliteSessionStore in memory', () => {
  // A :memory: database lives in one connection: the stores of a namespace share one Database
  // object that the test owns (each store leaves it open), and so does the inspector.
  const databases = new Map<string, Database.Database>();
  const database = (namespace: string) => {
    let db = databases.get(namespace);
    if (!db) {
      db = new Database(':memory:');
      databases.set(namespace, db);
    }
    return db;
  };
  const setups = new Map<string, Promise<void>>();
  describeConformance({
    name: 'sqlite-memory',
    factory: {
      create: async (namespace, options) => {
        const store = new SqliteSessionStore({ database: database(namespace), ...options });
        if (!setups.has(namespace)) setups.set(namespace, store.setup());
        await setups.get(namespace);
        return store;
      },
      inspector: (namespace) => sqliteInspector(database(namespace)),
      teardown: async () => {
        for (const db of databases.values()) db.close();
      },
    },
  });
});
