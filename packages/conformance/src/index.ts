export type {
  RawInspector,
  ConformanceCapabilities,
  ConformanceFactory,
  ConformanceStoreOptions,
  ConformanceOptions,
} from './types.js';
export { describeConformance } from './describe-conformance.js';
export { expectNoPlaintext } from './no-plaintext.js';
export type { SuiteContext, ResolvedCapabilities, FreshIds } from './context.js';
