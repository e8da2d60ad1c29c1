import { describeConformance, expectNoPlaintext } from '@sessions/conformance';
import { InMemorySessionStore, MemoryBacking } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { decryptingInspector } from './support/decrypting-inspector.js';
import { memoryInspector } from './support/memory-inspector.js';
import { testCodec } from './support/test-codec.js';

// One backing per namespace: every store the suite opens over a namespace shares its data.
const backings = new Map<string, MemoryBacking>();
const backingOf = (namespace: string) => {
  let backing = backings.get(namespace);
  if (!backing) backings.set(namespace, (backing = new MemoryBacking()));
  return backing;
};
const codec = testCodec();

describeConformance({
  name: 'encryption codec over memory',
  factory: {
    create: async (namespace, options) => new InMemorySessionStore({ ...options, backing: backingOf(namespace), codecs: [codec] }),
    // The suite's raw-record checks look for plaintext markers: this inspector shows each
    // message decrypted next to its envelope. The check below uses the raw view alone.
    inspector: (namespace) => decryptingInspector(memoryInspector(backingOf(namespace)), codec),
    teardown: async () => backings.clear(),
  },
});

describe('encryption codec over memory: raw records', () => {
  it('hold no plaintext message text', async () => {
    const backing = new MemoryBacking();
    const store = new InMemorySessionStore({ backing, codecs: [codec] });
    await store.append('alice', 'chat', [{ role: 'user', content: 'card 4111-1111' }, { role: 'tool', content: 'approved-7781' }]);
    await store.forkSession('alice', 'chat', { newSessionId: 'fork' });
    await expectNoPlaintext(memoryInspector(backing), 'alice', '4111');
    await expectNoPlaintext(memoryInspector(backing), 'alice', 'approved-7781');
    // The decrypting view sees it, so the check above is not vacuous.
    const decrypted = await decryptingInspector(memoryInspector(backing), codec).sessionRecords('alice', 'fork');
    expect(decrypted.join('\n')).toContain('4111');
  });
});
