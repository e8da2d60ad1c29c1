import { describeConformance, expectNoPlaintext } from '@sessions/conformance';
import { InMemorySessionStore, MemoryBacking } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { memoryInspector } from './support/memory-inspector.js';
import { innerOptions, wrap } from './support/wrap.js';

// One backing per namespace: every store the suite opens over a namespace shares its data.
const backings = new Map<string, MemoryBacking>();
const backingOf = (namespace: string) => {
  let backing = backings.get(namespace);
  if (!backing) backings.set(namespace, (backing = new MemoryBacking()));
  return backing;
};

describeConformance({
  name: 'encrypt over memory',
  factory: {
    create: async (namespace, options) => wrap(new InMemorySessionStore({ ...innerOptions(options), backing: backingOf(namespace) }), options),
    // The suite's raw-record checks look for plaintext markers: this inspector shows each
    // message decrypted next to its envelope. The check below uses the raw view alone.
    inspector: (namespace) => memoryInspector(backingOf(namespace), wrap(new InMemorySessionStore({ backing: backingOf(namespace) }))),
    teardown: async () => backings.clear(),
  },
});

describe('encrypt over memory: raw records', () => {
  it('hold no plaintext message text', async () => {
    const backing = new MemoryBacking();
    const store = wrap(new InMemorySessionStore({ ...innerOptions(), backing }));
    await store.append('alice', 'chat', [{ role: 'user', content: 'card 4111-1111' }, { role: 'tool', content: 'approved-7781' }]);
    await store.forkSession('alice', 'chat', { newSessionId: 'fork' });
    await expectNoPlaintext(memoryInspector(backing), 'alice', '4111');
    await expectNoPlaintext(memoryInspector(backing), 'alice', 'approved-7781');
    // The decrypting view sees it, so the check above is not vacuous.
    await expect(expectNoPlaintext(memoryInspector(backing, store), 'alice', '4111')).rejects.toThrow();
  });
});
