// Prints the spans of one agent turn (read the recent history, append the turn) as the
// OpenTelemetry SDK's in-memory exporter holds them: the trace shown in README.md.
// Run: node --import tsx packages/otel/scripts/agent-turn-trace.ts [store URL]
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { openStore } from '@sessions/core';
import { instrumentStore } from '../src/index.js';

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const url = process.argv[2] ?? 'memory:';
const server = url.includes('://') ? new URL(url) : undefined;
const store = instrumentStore(await openStore(url), {
  tracerProvider,
  ...(server && { serverAddress: server.hostname, serverPort: Number(server.port) }),
});
const history = await store.getMessages('user_123', 'conversation', { limit: 20 });
await store.append('user_123', 'conversation', [{ role: 'user', content: 'Where is my order?' }, { role: 'assistant', content: 'It ships today.' }], {
  expectedLastSeq: history.at(-1)?.seq ?? 0,
});
await store.close();
const spans = exporter.getFinishedSpans().map((span) => ({
  name: span.name,
  kind: span.kind,
  durationMs: Math.round((span.duration[0] * 1e3 + span.duration[1] / 1e6) * 100) / 100,
  status: span.status,
  attributes: span.attributes,
}));
process.stdout.write(JSON.stringify(spans, null, 2) + '\n');
