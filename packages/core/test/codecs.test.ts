import { describe, expect, it } from 'vitest';
import {
  DriverSessionStore,
  InMemorySessionStore,
  MemoryBacking,
  MemoryDriver,
  type CodecContext,
  type MessageCodec,
  type StoredEntry,
} from '../src/index.js';
import { expectCode } from './helpers.js';

/**
 * A codec that wraps each text as `<name>(<text>)` and unwraps it on decode, failing loudly on
 * a text it did not wrap: run in the wrong order, decode throws. Every call is logged.
 */
function wrapping(name: string, log: string[]): MessageCodec {
  return {
    name,
    encode: (texts) => {
      log.push(`encode ${name}`);
      return texts.map((text) => `${name}(${text})`);
    },
    decode: (entries) => {
      log.push(`decode ${name}`);
      return entries.map((entry) => {
        if (!entry.text.startsWith(`${name}(`) || !entry.text.endsWith(')')) throw new Error(`${name} cannot decode ${entry.text}`);
        return { ...entry, text: entry.text.slice(name.length + 1, -1) };
      });
    },
  };
}

/** A codec whose stored text names its session, like an AEAD's associated data: it rebinds on fork. */
function sessionBound(rebinds: Array<{ from: CodecContext; to: CodecContext; seqs: number[] }>): MessageCodec {
  const bind = (text: string, to: CodecContext) => `${to.userId}/${to.sessionId}|${text}`;
  const unbind = (entry: StoredEntry, context: CodecContext): StoredEntry => {
    const prefix = `${context.userId}/${context.sessionId}|`;
    if (!entry.text.startsWith(prefix)) throw new Error(`seq ${entry.seq} is bound to another session: ${entry.text}`);
    return { ...entry, text: entry.text.slice(prefix.length) };
  };
  return {
    name: 'bound',
    encode: (texts, context) => texts.map((text) => bind(text, context)),
    decode: (entries, context) => entries.map((entry) => unbind(entry, context)),
    rebind: (entries, from, to) => {
      rebinds.push({ from, to, seqs: entries.map((e) => e.seq) });
      return entries.map((entry) => ({ ...entry, text: bind(unbind(entry, from).text, to) }));
    },
  };
}

/** The texts the backing holds for a session, as stored. */
const storedTexts = (backing: MemoryBacking, userId: string, sessionId: string) =>
  backing.sessionsOf(userId).find((s) => s.id === sessionId)?.messages.map((m) => m.text);

describe('codecs', () => {
  it('encode in the order given, decode in reverse', async () => {
    const log: string[] = [];
    const backing = new MemoryBacking();
    const store = new InMemorySessionStore({ backing, codecs: [wrapping('A', log), wrapping('B', log)] });
    await store.append('u', 's', [{ n: 1 }, { n: 2 }]);
    expect(storedTexts(backing, 'u', 's')).toEqual(['B(A({"n":1}))', 'B(A({"n":2}))']);
    expect(log).toEqual(['encode A', 'encode B']);
    log.length = 0;
    expect((await store.getMessages('u', 's')).map((m) => m.message)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(log).toEqual(['decode B', 'decode A']);
  });

  it('every write of messages encodes and every read decodes: replaceTail, rewrite, restore, pop, readHistory', async () => {
    const backing = new MemoryBacking();
    const store = new InMemorySessionStore({ backing, codecs: [wrapping('A', [])] });
    await store.append('u', 's', [{ n: 1 }, { n: 2 }]);
    await store.replaceTail('u', 's', { afterSeq: 1, messages: [{ n: 3 }] });
    await store.rewriteMessages('u', 's', [{ seq: 1, message: { n: 10 } }]);
    expect(storedTexts(backing, 'u', 's')).toEqual(['A({"n":10})', 'A({"n":3})']);
    const now = Date.now();
    await store.restoreSession('u', { id: 'r', metadata: {}, createdAt: new Date(now), updatedAt: new Date(now), expiresAt: null, lastSeq: 2 });
    await store.restoreMessages('u', 'r', [{ seq: 2, createdAt: new Date(now), message: { n: 2 } }]);
    expect(storedTexts(backing, 'u', 'r')).toEqual(['A({"n":2})']);
    const history: unknown[] = [];
    for await (const m of store.readHistory('u', 's')) history.push(m.message);
    expect(history).toEqual([{ n: 10 }, { n: 3 }]);
    expect((await store.getSession('u', 's'))?.messages.map((m) => m.message)).toEqual([{ n: 10 }, { n: 3 }]);
    expect((await store.popMessage('u', 's'))?.message).toEqual({ n: 3 });
  });

  it('applies size limits to the caller message, before any codec', async () => {
    const backing = new MemoryBacking();
    const growing: MessageCodec = { name: 'grow', encode: (texts) => texts.map((t) => t + ' '.repeat(500)), decode: (entries) => entries.map((e) => ({ ...e, text: e.text.trimEnd() })) };
    const store = new InMemorySessionStore({ backing, codecs: [growing], maxMessageBytes: 20, maxBatchBytes: 40 });
    const twenty = { t: 'x'.repeat(12) };
    expect(JSON.stringify(twenty)).toHaveLength(20);
    await store.append('u', 's', [twenty, twenty]);
    expect(storedTexts(backing, 'u', 's')?.[0]).toHaveLength(520);
    await expectCode(store.append('u', 's', { t: 'x'.repeat(13) }), 'TOO_LARGE');
    await expectCode(store.append('u', 's', [twenty, twenty, { t: 1 }]), 'TOO_LARGE');
  });

  it('a codec may leave entries out on decode (a skip policy)', async () => {
    const skipOdd: MessageCodec = { name: 'skip', encode: (texts) => texts, decode: (entries) => entries.filter((e) => e.seq % 2 === 0) };
    const store = new InMemorySessionStore({ codecs: [skipOdd] });
    await store.append('u', 's', [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect((await store.getMessages('u', 's')).map((m) => m.seq)).toEqual([2, 4]);
  });

  it('a stored text that does not decode to JSON is UNAVAILABLE, naming the seq and the likely cause', async () => {
    const backing = new MemoryBacking();
    await new InMemorySessionStore({ backing, codecs: [wrapping('A', [])] }).append('u', 's', { n: 1 });
    const error = await expectCode(new InMemorySessionStore({ backing }).getMessages('u', 's'), 'UNAVAILABLE');
    expect(error.message).toMatch(/seq 1 .*codec/);
  });

  it('rebinds a fork entries to the fork, page by page, so they decode there', async () => {
    const rebinds: Array<{ from: CodecContext; to: CodecContext; seqs: number[] }> = [];
    const backing = new MemoryBacking();
    const store = new InMemorySessionStore({ backing, codecs: [sessionBound(rebinds)], readPageSize: 2 });
    await store.append('u', 'src', [{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }]);
    await store.forkSession('u', 'src', { newSessionId: 'fork', uptoSeq: 4 });
    expect(rebinds).toEqual([
      { from: { userId: 'u', sessionId: 'src' }, to: { userId: 'u', sessionId: 'fork' }, seqs: [1, 2] },
      { from: { userId: 'u', sessionId: 'src' }, to: { userId: 'u', sessionId: 'fork' }, seqs: [3, 4] },
    ]);
    expect(storedTexts(backing, 'u', 'fork')).toEqual([1, 2, 3, 4].map((n) => `u/fork|{"n":${n}}`));
    expect((await store.getMessages('u', 'fork')).map((m) => m.message)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    // The source is untouched.
    expect((await store.getMessages('u', 'src')).map((m) => m.message)).toHaveLength(5);
    expect(storedTexts(backing, 'u', 'src')?.[0]).toBe('u/src|{"n":1}');
  });

  it('without rebind, a fork copies entries as stored', async () => {
    const backing = new MemoryBacking();
    const store = new InMemorySessionStore({ backing, codecs: [wrapping('A', [])] });
    await store.append('u', 'src', [{ n: 1 }]);
    await store.forkSession('u', 'src', { newSessionId: 'fork' });
    expect(storedTexts(backing, 'u', 'fork')).toEqual(storedTexts(backing, 'u', 'src'));
  });

  it('stores the encoded idempotency key; a retry with the same key is still a duplicate', async () => {
    const backing = new MemoryBacking();
    const hashing: MessageCodec = {
      name: 'hash',
      encode: (texts) => texts,
      decode: (entries) => entries,
      encodeIdempotencyKey: (key, context) => `h:${context.sessionId}:${[...key].reverse().join('')}`,
    };
    const store = new InMemorySessionStore({ backing, codecs: [hashing] });
    const first = await store.append('u', 's', { n: 1 }, { idempotencyKey: 'secret-key' });
    expect(await store.append('u', 's', { n: 1 }, { idempotencyKey: 'secret-key' })).toEqual({ ...first, duplicate: true });
    expect(await store.replaceTail('u', 's', { afterSeq: 0, messages: [] }, { idempotencyKey: 'secret-key' })).toMatchObject({ duplicate: true, removed: 0 });
    const keys = [...(backing.sessionsOf('u')[0]?.idempotency.keys() ?? [])];
    expect(keys).toEqual(['h:s:yek-terces']);
  });

  it('encodes metadata on the way in and decodes it on the way out, keeping null as removal', async () => {
    const backing = new MemoryBacking();
    const flip = (metadata: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, typeof v === 'string' ? [...v].reverse().join('') : v])) as never;
    const store = new InMemorySessionStore({
      backing,
      codecs: [{ name: 'meta', encode: (t) => t, decode: (e) => e, encodeMetadata: flip, decodeMetadata: flip }],
    });
    expect((await store.createSession('u', { sessionId: 's', metadata: { title: 'hello', n: 1 } })).metadata).toEqual({ title: 'hello', n: 1 });
    expect(backing.sessionsOf('u')[0]?.metadataText).toBe('{"title":"olleh","n":1}');
    expect((await store.updateSession('u', 's', { metadata: { title: null, tag: 'ab' } })).metadata).toEqual({ n: 1, tag: 'ab' });
    expect(backing.sessionsOf('u')[0]?.metadataText).toBe('{"n":1,"tag":"ba"}');
    expect((await store.listSessions('u')).items[0]?.metadata).toEqual({ n: 1, tag: 'ab' });
  });

  it('withCodecs gives a store over the same driver with the codecs added after the store own', async () => {
    const log: string[] = [];
    const backing = new MemoryBacking();
    const plain = new DriverSessionStore(new MemoryDriver(backing, false), { codecs: [wrapping('A', log)], maxMessageBytes: 100 });
    const layered = plain.withCodecs([wrapping('B', log)]);
    await layered.append('u', 's', { n: 1 });
    expect(storedTexts(backing, 'u', 's')).toEqual(['B(A({"n":1}))']);
    await expectCode(layered.append('u', 's', { t: 'x'.repeat(100) }), 'TOO_LARGE');
    expect((await layered.getMessages('u', 's')).map((m) => m.message)).toEqual([{ n: 1 }]);
    expect(log).toEqual(['encode A', 'encode B', 'decode B', 'decode A']);
  });
});
