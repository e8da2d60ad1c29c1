import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { InMemorySessionStore, openStore, type SessionStore } from '@sessions/core';
import '@sessions/redis';
import { requireService } from '@sessions/test-services';
import { instrumentStore } from '../src/index.js';

const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
const meterProvider = new MeterProvider({ readers: [reader] });

const redisUrl = requireService('redis');
const opened: SessionStore[] = [];

afterAll(async () => {
  for (const store of opened) await store.close();
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
});

beforeEach(() => spans.reset());

/** The value of a metric (a sum, or a histogram's count) for the points matching `attributes`. */
async function metric(name: string, attributes: Record<string, unknown>): Promise<number> {
  await reader.forceFlush();
  const points = metricExporter
    .getMetrics()
    .at(-1)!
    .scopeMetrics.flatMap((scope) => scope.metrics)
    .filter((m) => m.descriptor.name === name)
    .flatMap((m) => m.dataPoints as { attributes: Record<string, unknown>; value: number | { count: number } }[])
    .filter((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value));
  return points.reduce((sum, point) => sum + (typeof point.value === 'number' ? point.value : point.value.count), 0);
}

const backends: [string, () => Promise<{ store: SessionStore; system: string }>][] = [
  ['memory', async () => ({ store: new InMemorySessionStore(), system: 'other_sql' })],
  [
    'redis',
    async () => {
      if (!redisUrl) throw new Error('the redis test server is not available');
      const store = await openStore(`${redisUrl}?keyPrefix=otel-${Date.now()}:`);
      return { store, system: 'redis' };
    },
  ],
];

describe.each(backends)('instrumentStore over %s', (backend, open) => {
  it('gives one client span per call with the database conventions and no message content', async () => {
    const { store: inner, system } = await open();
    opened.push(inner);
    const store = instrumentStore(inner, { tracerProvider, meterProvider, serverAddress: '127.0.0.1', serverPort: 6379 });
    const secret = `card number 4111-1111-1111-${backend}`;
    // One agent turn: read the recent history, then append the turn.
    await store.getMessages('alice', 'turn', { limit: 20 });
    await store.append('alice', 'turn', [{ role: 'user', content: secret }, { role: 'assistant', content: 'noted' }]);
    const finished = spans.getFinishedSpans();
    expect(finished.map((span) => span.name)).toEqual(['sessions.getMessages', 'sessions.append']);
    const [read, append] = finished;
    expect(read!.kind).toBe(2); // SpanKind.CLIENT
    expect(read!.attributes).toMatchObject({ 'db.system.name': system, 'db.operation.name': 'getMessages', 'server.address': '127.0.0.1', 'server.port': 6379, 'sessions.message.count': 0 });
    expect(append!.attributes).toMatchObject({ 'db.operation.name': 'append', 'sessions.message.count': 2 });
    expect(JSON.stringify(finished.map((span) => [span.attributes, span.events, span.status]))).not.toContain('4111');
    expect(await metric('sessions.messages.appended', { 'db.system.name': system, 'db.operation.name': 'append' })).toBeGreaterThanOrEqual(2);
    expect(await metric('db.client.operation.duration', { 'db.system.name': system, 'db.operation.name': 'getMessages' })).toBeGreaterThanOrEqual(1);
  });

  it('marks a failed call as an error with its code, and counts it', async () => {
    const { store: inner, system } = await open();
    opened.push(inner);
    const store = instrumentStore(inner, { tracerProvider, meterProvider });
    const before = await metric('sessions.client.errors', { 'db.system.name': system, 'error.type': 'NOT_FOUND' });
    await expect(store.updateSession('alice', `missing-${backend}`, { metadata: { a: 1 } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [span] = spans.getFinishedSpans();
    expect(span!.status.code).toBe(2); // SpanStatusCode.ERROR
    expect(span!.attributes['error.type']).toBe('NOT_FOUND');
    expect(await metric('sessions.client.errors', { 'db.system.name': system, 'error.type': 'NOT_FOUND' })).toBe(before + 1);
  });

  it('an iterating call is one span, ended when the loop ends; handles are instrumented too', async () => {
    const { store: inner } = await open();
    opened.push(inner);
    const store = instrumentStore(inner, { tracerProvider, meterProvider });
    const session = store.session('bob', `history-${backend}`);
    await session.append([{ n: 1 }, { n: 2 }, { n: 3 }]);
    let seen = 0;
    for await (const _message of session.history({ pageSize: 2 })) seen++;
    expect(seen).toBe(3);
    const finished = spans.getFinishedSpans();
    expect(finished.map((span) => span.name)).toEqual(['sessions.append', 'sessions.readHistory']);
    expect(finished[1]!.attributes['sessions.message.count']).toBe(3);
    expect(() => store.session('', 'x')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
