import { describeConformance } from '@sessions/conformance';
import { InMemorySessionStore, MemoryBacking } from '@sessions/core';
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
    teardown: async () => backings.clear(),
  },
});
