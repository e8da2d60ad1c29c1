export { measure, compare, lineup, kilobyteMessage, type Measurement, type MeasureOptions, type LineupOptions, type Comparison, type Operation } from './measure.js';
export type { BenchSuite, BenchContext, BenchResult, BenchService } from './suite.js';
export { toMarkdown } from './report.js';
