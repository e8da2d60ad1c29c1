import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { exportSessions, InMemorySessionStore, writeExport } from '../src/index.js';
import { expectCode } from './helpers.js';

async function filled() {
  const store = new InMemorySessionStore();
  for (let s = 0; s < 5; s++) {
    await store.append('u', `s${s}`, Array.from({ length: 4000 }, (_, i) => ({ content: `message ${i} of ${s}` })));
  }
  return store;
}

/** A slow sink that records how much was queued in it at most. */
function slowSink() {
  const chunks: string[] = [];
  let maxQueued = 0;
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      setImmediate(callback);
    },
  });
  const write = sink.write.bind(sink);
  sink.write = ((chunk: string) => {
    const ok = write(chunk);
    maxQueued = Math.max(maxQueued, sink.writableLength);
    return ok;
  }) as typeof sink.write;
  return { sink, text: () => chunks.join(''), maxQueued: () => maxQueued };
}

describe('writeExport', () => {
  it('waits for drain: a slow stream never queues more than two chunks past its highWaterMark', async () => {
    const store = await filled();
    const { sink, text, maxQueued } = slowSink();
    const totals = await writeExport(store, sink, { pageSize: 50 });
    expect(totals).toEqual({ sessions: 5, messages: 20_000 });
    let expected = '';
    for await (const chunk of exportSessions(store, { pageSize: 50, exportedAt: new Date(0) })) expected += chunk;
    const strip = (t: string) => t.split('\n').slice(1).join('\n');
    expect(strip(text())).toBe(strip(expected));
    // Chunks are 64 KiB plus at most a page; the one being written and the next may both be
    // queued. Without waiting for drain the whole export (~500 KiB) would queue.
    expect(Buffer.byteLength(expected)).toBeGreaterThan(400 * 1024);
    expect(maxQueued()).toBeLessThan(1024 + 2 * 70 * 1024);
    expect(sink.writableEnded).toBe(false);
  });

  it('turns a failing stream into UNAVAILABLE with the stream error as cause', async () => {
    const store = await filled();
    const failure = new Error('disk full');
    const sink = new Writable({
      highWaterMark: 64,
      write(_chunk, _encoding, callback) {
        callback(failure);
      },
    });
    const error = await expectCode(writeExport(store, sink), 'UNAVAILABLE');
    expect(error.cause).toBe(failure);
  });
});
