export type {
  RawInspector,
  ConformanceCapabilities,
  ConformanceFactory,
  ConformanceStoreOptions,
  ConformanceOptions,
} from './types.js';
