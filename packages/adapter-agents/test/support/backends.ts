import { InMemorySessionStore, type SessionStore } from '@sessions/core';

/** A backend the adapter tests run over: a fresh, isolated store per test file. */
export interface TestBackend {
  name: string;
  create(): Promise<SessionStore>;
}

/** Every backend available in this run: the in-memory store always, servers when the harness provides them. */
export function testBackends(): TestBackend[] {
  return [{ name: 'memory', create: async () => new InMemorySessionStore() }];
}
