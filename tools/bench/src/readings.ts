import type { DocumentText } from './document.js';
import { SCENARIOS } from './scenarios.js';

/**
 * The hand-written text of `docs/performance.md`. Edit it after a full run, then
 * `npm run bench -- --render` rebuilds the document from `docs/performance.json`.
 */
export const documentText: DocumentText = {
  intro: [
    'How fast each `@sessions/*` backend is, measured against two kinds of baseline on the same servers, in the same process:',
    '',
    '- **the raw driver** doing the least work that gives the same result (the floor: an `RPUSH`, an indexed `SELECT ... LIMIT 20`, a `PutItem`);',
    '- **the libraries users pick today**: the LangChain.js chat histories (`@langchain/community` 1.1 over ioredis, `pg` and the AWS SDK; `@langchain/redis` 1.1 over node-redis).',
    '',
    "Every comparison is a **ratio** of throughputs (subject ÷ baseline) measured in the same run with the runs interleaved, so a busy machine slows both sides alike: 1.00 is as fast as the baseline, 0.80 is 80 % of it, 3.00 is three times as fast. Each figure is the median of several runs; the spread is ± half the range of the runs around the median. Absolute ops/s depend on the machine; the ratios are what to compare. 1 KB JSON messages throughout (`kilobyteMessage`).",
  ].join('\n'),
  notRun:
    'Mastra storage (`@mastra/pg`, `@mastra/dynamodb`) declares `"engines": { "node": ">=22.13.0" }`; this machine runs Node 20, so it was not installed or run. Its memory API (threads and messages, `getMessages({ threadId, selectBy: { last: n } })`) fits scenarios 1-3 and would be a fair peer on a Node 22 machine.',
  readings: {
    [SCENARIOS.appendAwaited]: '',
  },
  misses: 'To be written after the full run.',
};
