import { SpanKind, SpanStatusCode, context, metrics, trace, type Attributes, type Span } from '@opentelemetry/api';
import { isSessionStoreError, storeSession, type JsonObject, type SessionStore, type StoredMessage } from '@sessions/core';
import {
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_MESSAGE_COUNT,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  METRIC_CALLS,
  METRIC_ERRORS,
  METRIC_MESSAGES_APPENDED,
  METRIC_MESSAGES_READ,
  METRIC_OPERATION_DURATION,
  dbSystemOf,
} from './attributes.js';
import type { InstrumentOptions } from './options.js';

/** The instrumentation scope name of every span and metric. */
export const INSTRUMENTATION_NAME = '@sessions/otel';
const VERSION = '0.1.0';

/** What a call wrote or read, for the message-count attribute and counters. */
type Counted = { written?: number; read?: number };

/**
 * Wraps `store` so every call gives a client span (`sessions.<operation>`, with
 * `db.system.name`, `db.operation.name`, `server.address`/`server.port` and the number of
 * messages, never their content or the ids) and metrics: the conventions' operation duration
 * histogram, calls, errors by code, messages appended and read. Iterating calls (`listUsers`,
 * `readHistory`, `watch`) get one span from the first read to the end of the loop.
 *
 * @example
 * const store = instrumentStore(await openStore(url), { serverAddress: 'redis.internal', serverPort: 6379 });
 */
export function instrumentStore<M extends JsonObject = JsonObject>(store: SessionStore<M>, options: InstrumentOptions = {}): SessionStore<M> {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME, VERSION);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_NAME, VERSION);
  const duration = meter.createHistogram(METRIC_OPERATION_DURATION, { unit: 's', description: 'Duration of each session store call.' });
  const calls = meter.createCounter(METRIC_CALLS, { unit: '{call}', description: 'Session store calls.' });
  const errors = meter.createCounter(METRIC_ERRORS, { unit: '{error}', description: 'Session store calls that failed, by error code.' });
  const appended = meter.createCounter(METRIC_MESSAGES_APPENDED, { unit: '{message}', description: 'Messages written by append and replaceTail.' });
  const read = meter.createCounter(METRIC_MESSAGES_READ, { unit: '{message}', description: 'Messages returned by reads.' });
  const system = options.dbSystem ?? dbSystemOf(store.backend);
  const base: Attributes = {
    [ATTR_DB_SYSTEM_NAME]: system,
    [ATTR_DB_SYSTEM]: system,
    ...(options.serverAddress !== undefined && { [ATTR_SERVER_ADDRESS]: options.serverAddress }),
    ...(options.serverPort !== undefined && { [ATTR_SERVER_PORT]: options.serverPort }),
  };

  const start = (operation: string): { span: Span; attributes: Attributes; started: number } => {
    const attributes = { ...base, [ATTR_DB_OPERATION_NAME]: operation };
    return { span: tracer.startSpan(`sessions.${operation}`, { kind: SpanKind.CLIENT, attributes }), attributes, started: performance.now() };
  };
  const finish = (call: ReturnType<typeof start>, counted: Counted, error?: unknown): void => {
    const attributes = { ...call.attributes };
    const messages = (counted.written ?? 0) + (counted.read ?? 0);
    if (counted.written !== undefined || counted.read !== undefined) call.span.setAttribute(ATTR_MESSAGE_COUNT, messages);
    if (error !== undefined) {
      const type = isSessionStoreError(error) ? error.code : error instanceof Error ? error.name : 'Error';
      attributes[ATTR_ERROR_TYPE] = type;
      call.span.setAttribute(ATTR_ERROR_TYPE, type);
      // The error's message names ids and the backend, never message content (the contract's rule).
      call.span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      errors.add(1, attributes);
    }
    call.span.end();
    duration.record((performance.now() - call.started) / 1000, attributes);
    calls.add(1, attributes);
    if (counted.written) appended.add(counted.written, call.attributes);
    if (counted.read) read.add(counted.read, call.attributes);
  };

  /** Runs one call in its span; `count` reads what it wrote or returned. */
  const traced = <A extends unknown[], R>(operation: string, run: (...args: A) => Promise<R>, count: (result: R, args: A) => Counted = () => ({})) =>
    async (...args: A): Promise<R> => {
      const call = start(operation);
      try {
        // The span is the active one while the call runs, so a driver's own instrumentation
        // (ioredis, postgres.js) nests under it.
        const result = await context.with(trace.setSpan(context.active(), call.span), () => run(...args));
        finish(call, count(result, args));
        return result;
      } catch (error) {
        finish(call, {}, error);
        throw error;
      }
    };

  /** An iterating call: one span from the first read to the end of the loop. */
  const tracedIterable = <A extends unknown[], T>(operation: string, run: (...args: A) => AsyncIterable<T>, count: (item: T) => number) =>
    (...args: A): AsyncIterable<T> => ({
      async *[Symbol.asyncIterator]() {
        const call = start(operation);
        let items = 0;
        try {
          for await (const item of run(...args)) {
            items += count(item);
            yield item;
          }
        } catch (error) {
          finish(call, { read: items }, error);
          throw error;
        }
        finish(call, { read: items });
      },
    });

  const messagesOf = (result: { messages: StoredMessage<M>[] } | null): Counted => ({ read: result?.messages.length ?? 0 });
  const batchSize = (messages: M | M[]): number => (Array.isArray(messages) ? messages.length : 1);

  const instrumented: SessionStore<M> = {
    backend: store.backend,
    createSession: traced('createSession', (userId, options) => store.createSession(userId, options)),
    getSession: traced('getSession', (userId: string, sessionId: string, options?) => store.getSession(userId, sessionId, options), messagesOf),
    getOrCreateSession: traced('getOrCreateSession', (userId: string, sessionId: string, options?) => store.getOrCreateSession(userId, sessionId, options), messagesOf),
    listSessions: traced('listSessions', (userId, options) => store.listSessions(userId, options)),
    updateSession: traced('updateSession', (userId, sessionId, options) => store.updateSession(userId, sessionId, options)),
    deleteSession: traced('deleteSession', (userId, sessionId) => store.deleteSession(userId, sessionId)),
    deleteUser: traced('deleteUser', (userId) => store.deleteUser(userId)),
    append: traced(
      'append',
      (userId: string, sessionId: string, messages: M | M[], options?) => store.append(userId, sessionId, messages, options),
      (result, args) => ({ written: result.duplicate ? 0 : batchSize(args[2]) }),
    ),
    getMessages: traced('getMessages', (userId: string, sessionId: string, options?) => store.getMessages(userId, sessionId, options), (result) => ({ read: result.length })),
    popMessage: traced('popMessage', (userId, sessionId) => store.popMessage(userId, sessionId), (result) => ({ read: result ? 1 : 0 })),
    clearSession: traced('clearSession', (userId, sessionId) => store.clearSession(userId, sessionId)),
    replaceTail: traced(
      'replaceTail',
      (userId: string, sessionId: string, input, options?) => store.replaceTail(userId, sessionId, input, options),
      (result, args) => ({ written: result.duplicate ? 0 : args[2].messages.length }),
    ),
    trimSession: traced('trimSession', (userId, sessionId, options) => store.trimSession(userId, sessionId, options)),
    rewriteMessages: traced(
      'rewriteMessages',
      (userId: string, sessionId: string, rewrites, options?) => store.rewriteMessages(userId, sessionId, rewrites, options),
      (result) => ({ written: result.rewritten }),
    ),
    readHistory: tracedIterable('readHistory', (userId: string, sessionId: string, options?) => store.readHistory(userId, sessionId, options), () => 1),
    watch: tracedIterable('watch', (userId: string, sessionId: string, options?) => store.watch(userId, sessionId, options), (change) =>
      change.type === 'appended' ? change.messages.length : 0,
    ),
    forkSession: traced('forkSession', (userId, sessionId, options) => store.forkSession(userId, sessionId, options)),
    listUsers: tracedIterable('listUsers', () => store.listUsers(), () => 0),
    restoreSession: traced('restoreSession', (userId, snapshot) => store.restoreSession(userId, snapshot)),
    restoreMessages: traced('restoreMessages', (userId, sessionId, messages) => store.restoreMessages(userId, sessionId, messages), (_result, args) => ({
      written: args[2].length,
    })),
    purgeExpired: traced('purgeExpired', (options) => store.purgeExpired(options)),
    setup: traced('setup', () => store.setup()),
    health: traced('health', () => store.health()),
    close: () => store.close(),
    session: (userId, sessionId) => {
      // The store checks the ids (and throws) exactly as it would without instrumentation.
      const checked = store.session(userId, sessionId);
      return storeSession(instrumented, checked.userId, checked.sessionId);
    },
    [Symbol.asyncDispose]: () => store.close(),
  };
  return instrumented;
}
