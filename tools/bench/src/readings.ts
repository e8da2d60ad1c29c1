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
    '- **the raw driver** doing the least work that gives the same result (the floor: an `RPUSH`, an indexed `SELECT ... LIMIT 20`, a `PutItem`), from each backend\'s own suite;',
    '- **the libraries users pick today**: the LangChain.js chat histories (`@langchain/community` 1.1 over ioredis, `pg` and the AWS SDK; `@langchain/redis` 1.1 over node-redis), run on the same servers.',
    '',
    "Every comparison is a **ratio** of throughputs (subject ÷ baseline) measured in the same run with the runs interleaved, so a busy machine slows both sides alike: 1.00 is as fast as the baseline, 0.80 is 80 % of it, 3.00 is three times as fast. Against a peer, a ratio above 1 means the store is ahead. Each figure is the median of several runs (5 in a full run unless the variant says otherwise); the spread is ± half the range of the runs around the median. Absolute ops/s depend on the machine; the ratios are what to compare. 1 KB JSON messages throughout (`kilobyteMessage`).",
    '',
    'What a peer does per call matters more than any constant: LangChain\'s chat histories have no `limit`, so every read fetches the **whole** history (`LRANGE 0 -1`, `SELECT` of every row, `GetItem` of one item holding everything) and the caller keeps the last 20; their appends carry no sequence number, no session record, no idempotency and no listing index, which is why a peer append can cost less than ours.',
  ].join('\n'),
  notRun:
    'Mastra storage (`@mastra/pg`, `@mastra/dynamodb`) declares `"engines": { "node": ">=22.13.0" }`; this machine runs Node 20, so it was not installed or run. Its memory API (threads and messages, `getMessages({ threadId, selectBy: { last: n } })`) fits scenarios 1-3 and would be a fair peer on a Node 22 machine: add a `peers-mastra` suite there.',
  readings: {
    [SCENARIOS.appendAwaited]:
      'Against the floor, the store pays for what the contract requires: on Redis one `EVALSHA` (seq, session record, TTL, listing index) instead of one `RPUSH`; on PostgreSQL one statement that also upserts the session row and checks expiry/idempotency; on DynamoDB a `TransactWriteItems` of two items instead of one `PutItem` (a transaction costs two writes per item on DynamoDB). Against the LangChain histories, whose append is a bare `LPUSH` / `INSERT` / `UpdateItem`, the store is close on Redis and PostgreSQL and behind on DynamoDB Local.',
    [SCENARIOS.appendInFlight]:
      'With 32 appends in flight on one session, Redis serialises them in the server (each script is atomic) and keeps up; PostgreSQL queues them on the session row lock, one statement each. DynamoDB is the outlier: every append is a conditional write on the session item, so 32 concurrent appenders of the same session conflict and back off; PutItems of distinct items never conflict. One session written by 32 writers at once is not the usual shape of a chat (scenario 6 spreads writers over sessions), but it is where the DynamoDB design pays.',
    [SCENARIOS.read]:
      'The store reads 20 messages whatever the session length; the peers read all of them. At 10 messages both sides move about the same bytes; at 1,000 the store is several times ahead, at 100,000 orders of magnitude (a LangChain read then moves ~100 MB). Against the floor (an `LRANGE -20 -1`, an indexed `SELECT ... LIMIT 20`, a `Query Limit 20`) the store adds an expiry check in the same round trip and builds `{ seq, createdAt, message }`.',
    [SCENARIOS.readFlat]: 'The same call on a long and a short session: a ratio near 1 means the cost does not grow with history (rule 2). Redis reads by rank in a sorted set, PostgreSQL by a backward primary-key range scan, DynamoDB by a `Query` with `Limit`: none of them touches older messages.',
    [SCENARIOS.list]:
      'A deep page (starting at 90 % of 10,000 sessions) costs what the first page does: the keyset cursor starts at an index position instead of skipping the pages before it. No LangChain history can list sessions at all: an app on them has to keep its own index.',
    [SCENARIOS.transfer]:
      'Both directions stream: the export pages through `listUsers` / `listSessions` / `getMessages` (1,000 at a time) and the import writes with `restoreMessages` batches of 500, so the process\'s memory stays at a few tens of MB for a million messages on Redis and PostgreSQL (the in-memory store\'s heap is the data itself). The DynamoDB row is 20,000 messages: DynamoDB Local sharing 2 cores with the bench would take most of the run\'s time budget for a million.',
    [SCENARIOS.encryptAppend]: 'Over Redis the AES-256-GCM seal is lost in the network round trip; over the in-memory store (no I/O at all) the ratio shows the raw crypto cost per call, which is the upper bound of the overhead, not a figure users meet.',
    [SCENARIOS.encryptRead]: 'A read of 20 messages opens 20 envelopes (one AES-256-GCM open and one `JSON.parse` each); over Redis that is the wrapper\'s cost on top of one round trip.',
    [SCENARIOS.manySessions]:
      '32 workers spread over many sessions, one message per append: no two appenders wait on the same session often, so this is the throughput a busy service sees.',
  },
  misses: [
    '- **Redis append vs `RPUSH` (aim 0.7).** One append runs a Lua script that reads the session record (`HMGET`), assigns the seq, `ZADD`s the message into the session\'s sorted set, updates the record, slides the TTL and moves the listing-index entry: several commands on three keys inside Redis against one command on one key. Awaited one at a time the round trip hides much of it; at 32 in flight the Redis thread is the bottleneck and the ratio becomes the ratio of server work. Closing it means touching fewer keys per append (e.g. the record\'s `lastSeq` and `count` kept where the index entry already is, TTL commands only for sessions that have a TTL). A bare `RPUSH` assigns no seq and keeps no session record, so this floor is below what the contract allows.',
    '- **Redis read vs `LRANGE -20 -1` (aim 0.8).** The store sends two commands in one round trip (`HMGET` for liveness by the store clock, then `ZRANGE` by rank) and splits each member (`seq:createdAt:json`) into `{ seq, createdAt, message }`; the floor sends one command and parses. Folding both into one script is not the fix: a script copies the multi-kilobyte reply through Lua, which costs the server more than the second command (see `packages/redis/src/reads.ts`). What remains is the client-side decode and the second command\'s reply.',
    '- **PostgreSQL append vs the one-statement CTE.** The aim is set against the transaction a hand-written app would use (met); the CTE row has no aim and shows the price of the contract\'s checks (expiry, idempotency key, `expectedLastSeq`, create-if-missing) in the same statement.',
    '- **DynamoDB append (no aim, but behind every baseline).** An append is a `TransactWriteItems` of the session item (conditional on the seq) and the message item: DynamoDB charges a transaction twice per item, and DynamoDB Local runs it far slower than a `PutItem`. With 32 appenders on one session the conditional write on the session item makes all but one retry each round. Closing it: an unconditional `UpdateItem ADD lastSeq :n` (returns the new seq, never conflicts) followed by the message `PutItem`, two requests without retries, at the price of a gap in the seqs if the process dies between them; or a per-session append queue in the process so that concurrent appends from one process batch into one transaction.',
    '- **DynamoDB read vs `Query Limit 20`.** `getMessages` sends a strongly consistent `GetItem` of the session item (expiry, generation, cleared range) alongside the `Query`: two requests against one. Closing it: a `Query` that also returns the session item (same partition, the session item sorting next to the newest messages) would make it one request.',
    '- **Appends against the LangChain histories.** Their append is a bare `LPUSH` / `INSERT` / `UpdateItem`: no seq, no session record, no idempotency, no listing index, no expiry. Where the store\'s append is behind theirs, that is the price of those guarantees; counting the read that every chat turn also does (scenario 2), the store is ahead as soon as a session holds more than a few dozen messages.',
    '- **Encryption over the in-memory store** shows the crypto cost with no I/O to hide it; the 0.87 aim is about a networked store (the Redis rows).',
  ].join('\n'),
};
