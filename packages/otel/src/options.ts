import type { MeterProvider, TracerProvider } from '@opentelemetry/api';

/** Options of {@link instrumentStore}. */
export interface InstrumentOptions {
  /**
   * Where spans go.
   * @default the global tracer provider (`trace.getTracerProvider()`)
   */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go.
   * @default the global meter provider (`metrics.getMeterProvider()`)
   */
  meterProvider?: MeterProvider;
  /**
   * `server.address` on every span and metric point: the host the store talks to.
   * @default undefined (not set)
   */
  serverAddress?: string;
  /**
   * `server.port` on every span and metric point.
   * @default undefined (not set)
   */
  serverPort?: number;
  /**
   * `db.system.name`.
   * @default derived from the store's backend (`redis`, `postgresql`, `aws.dynamodb`, `sqlite`)
   */
  dbSystem?: string;
}
