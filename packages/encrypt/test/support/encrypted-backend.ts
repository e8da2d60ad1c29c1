import { describeConformance, type ConformanceCapabilities, type ConformanceStoreOptions, type RawInspector } from '@sessions/conformance';
import { InMemorySessionStore, type JsonObject, type SessionStore } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { encryptStore, type EncryptedSessionStore } from '../../src/index.js';
import { KEY_A, KEY_B } from '../fixtures.js';
import { decryptingInspector } from './decrypting-inspector.js';
import type { NamespaceDump } from './namespace-dump.js';
import { innerOptions, wrap } from './wrap.js';

/** How the tests reach one real backend. */
export interface BackendUnderTest {
  /** Shown in test titles. */
  name: string;
  /** A new inner store (own client) over `namespace`, ready to use. */
  inner(namespace: string, options?: ConformanceStoreOptions): Promise<SessionStore<JsonObject>>;
  /** A per-user raw inspector through the driver, when the backend's key layout is public. */
  inspector?(namespace: string): Promise<RawInspector>;
  /** A raw dump of the namespace through the driver. */
  dump(namespace: string): Promise<NamespaceDump>;
  capabilities?: ConformanceCapabilities;
  /** Size of the rotation test: seeded messages (a multiple of 20) and appends per concurrent writer. @default { seed: 60, perWriter: 25 } */
  rotation?: { seed: number; perWriter: number };
  /** Closes shared clients, drops namespaces. */
  teardown(): Promise<void>;
}

const SECRET = 'card 4111-1111-1111-1111 expires 09/29';

/**
 * Runs the whole conformance suite over the wrapper on a real backend, then the checks only a
 * real server can make: no plaintext in the raw data, tampering caught, rotation that keeps every
 * append of concurrent clients.
 */
export function describeEncryptedBackend(backend: BackendUnderTest): void {
  describeConformance({
    name: `encrypt over ${backend.name}`,
    ...(backend.capabilities ? { capabilities: backend.capabilities } : {}),
    factory: {
      create: async (namespace, options) => wrap(await backend.inner(namespace, innerOptions(options)), options),
      // The suite looks for plaintext markers in raw records: show envelopes decrypted beside them.
      ...(backend.inspector
        ? { inspector: async (namespace: string) => decryptingInspector(await backend.inspector!(namespace), wrap(new InMemorySessionStore())) }
        : {}),
    },
  });

  describe(`encrypt over ${backend.name}: raw data and rotation`, () => {
    const namespace = `enc_${backend.name.replace(/\W/g, '')}_${Date.now().toString(36)}`;
    const stores: SessionStore[] = [];
    const open = async (options: { keys?: Record<string, Buffer>; currentKeyId?: string } = {}): Promise<EncryptedSessionStore> => {
      const store = encryptStore(await backend.inner(namespace, innerOptions()), {
        keys: options.keys ?? { old: KEY_A },
        currentKeyId: options.currentKeyId ?? 'old',
        encryptMetadata: true,
        plaintextMetadataKeys: ['tenant'],
      });
      stores.push(store);
      return store;
    };

    it('writes no plaintext message text or encrypted metadata to the database', async () => {
      const store = await open();
      await store.createSession('alice', { sessionId: 'chat', metadata: { title: 'Lisbon trip', tenant: 'acme-corp' } });
      await store.append('alice', 'chat', [{ role: 'user', content: SECRET }, { type: 'function_call', name: 'charge_card', arguments: '{"amount":912}' }]);
      await store.updateSession('alice', 'chat', { metadata: { budgetNote: 'max 912 EUR' } });
      await store.forkSession('alice', 'chat', { newSessionId: 'fork' });
      const records = await (await backend.dump(namespace))();
      const text = records.join('\n');
      expect(records.length).toBeGreaterThan(0);
      expect(text).toContain('acme-corp');
      for (const needle of ['4111', 'charge_card', 'function_call', '912', 'Lisbon', 'content']) expect(text).not.toContain(needle);
      expect((await store.getMessages('alice', 'fork')).map((m) => m.message['content'] ?? m.message['name'])).toEqual([SECRET, 'charge_card']);
    });

    it('fails with DECRYPT_FAILED on an envelope moved to another session or user', async () => {
      const store = await open();
      await store.append('bob', 'one', { content: SECRET });
      const [envelope] = await store.inner.getMessages('bob', 'one');
      await store.inner.append('bob', 'two', envelope!.message);
      await store.inner.append('carol', 'one', envelope!.message);
      await expect(store.getMessages('bob', 'two')).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
      await expect(store.getMessages('carol', 'one')).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
      expect((await store.getMessages('bob', 'one'))[0]!.message).toEqual({ content: SECRET });
    });

    const { seed: seeded, perWriter } = backend.rotation ?? { seed: 60, perWriter: 25 };
    it('re-encrypts under a new key while other clients append, losing and duplicating nothing', { timeout: 180_000 }, async () => {
      const seed = await open();
      for (let i = 0; i < seeded; i += 20) await seed.append('dave', 'long', [...Array(20).keys()].map((j) => ({ writer: 'seed', i: i + j })));
      const both = { keys: { old: KEY_A, new: KEY_B }, currentKeyId: 'new' };
      const rotator = await open(both);
      const writers = await Promise.all(['w1', 'w2', 'w3'].map(() => open(both)));
      const appends = writers.map(async (writer, w) => {
        for (let i = 0; i < perWriter; i++) await writer.append('dave', 'long', { writer: `w${w}`, i });
      });
      const [report] = await Promise.all([rotator.reencryptSession('dave', 'long'), ...appends]);
      expect(report!.sessions).toBe(1);
      const all = await rotator.getMessages('dave', 'long');
      const total = seeded + 3 * perWriter;
      expect(all).toHaveLength(total);
      expect(all.map((m) => m.seq)).toEqual([...Array(total).keys()].map((i) => i + 1));
      for (const writer of ['w0', 'w1', 'w2']) {
        expect(all.filter((m) => m.message['writer'] === writer).map((m) => m.message['i'])).toEqual([...Array(perWriter).keys()]);
      }
      expect(all.filter((m) => m.message['writer'] === 'seed').map((m) => m.message['i'])).toEqual([...Array(seeded).keys()]);
      const kids = new Set((await rotator.inner.getMessages('dave', 'long')).map((m) => m.message['kid']));
      expect(kids).toEqual(new Set(['new']));
    });

    it('cleans up', async () => {
      await Promise.all(stores.map((store) => store.close()));
      await backend.teardown();
    });
  });
}
