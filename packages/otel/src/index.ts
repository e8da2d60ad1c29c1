export { instrumentStore, INSTRUMENTATION_NAME } from './instrument.js';
export type { InstrumentOptions } from './options.js';
export * from './attributes.js';
