import type { JsonObject, SessionInfo, StoredMessage } from '@sessions/core';
import { describe, expect, it } from 'vitest';
import { checkFaultLog, sessionLogKey } from '../src/check-fault-log.js';
import { checkCutLog } from '../src/check-cut-log.js';
import { checkLogs, type SessionLog } from '../src/check-logs.js';
import type { CutBatch } from '../src/cut-workload.js';
import type { FaultCall } from '../src/fault-appenders.js';
import type { Ack } from '../src/workload.js';

// The checkers must catch what they claim to: a checker that always passed would make the
// reliability runs prove nothing.

const info = (id: string, messageCount: number, lastSeq: number): SessionInfo => ({
  userId: 'u', id, metadata: {}, createdAt: new Date(0), updatedAt: new Date(0), expiresAt: null, messageCount, lastSeq,
});
const stored = (seq: number, message: JsonObject): StoredMessage<JsonObject> => ({ seq, createdAt: new Date(0), message });
const stored1 = stored;
const log = (id: string, messages: StoredMessage<JsonObject>[], count = messages.length, last = messages.at(-1)?.seq ?? 0): [string, SessionLog] => [
  id,
  { info: info(id, count, last), messages },
];

describe('checkLogs', () => {
  const acks: Ack[] = [
    { worker: 0, op: 0, sessionId: 's', ns: [0, 1], firstSeq: 1, lastSeq: 2 },
    { worker: 1, op: 0, sessionId: 's', ns: [0], firstSeq: 3, lastSeq: 3, key: 'k', retried: { firstSeq: 3, lastSeq: 3, duplicate: true } },
  ];
  const good = () => [stored(1, { w: 0, n: 0 }), stored(2, { w: 0, n: 1 }), stored(3, { w: 1, n: 0 })];

  it('passes a log that holds exactly what was acknowledged', () => {
    expect(checkLogs(acks, new Map([log('s', good())])).problems).toEqual([]);
  });

  it('finds a missing, a doubled, an unacknowledged and a misplaced message', () => {
    const missing = good().slice(0, 2);
    expect(checkLogs(acks, new Map([log('s', missing)])).problems.join()).toMatch(/worker 1 message 0 .*missing/);
    const doubled = [...good(), stored(4, { w: 1, n: 0 })];
    expect(checkLogs(acks, new Map([log('s', doubled)])).problems.join()).toMatch(/stored twice/);
    const extra = [...good(), stored(4, { w: 2, n: 0 })];
    expect(checkLogs(acks, new Map([log('s', extra)])).problems.join()).toMatch(/never acknowledged/);
    const moved = [stored(1, { w: 0, n: 0 }), stored(2, { w: 1, n: 0 }), stored(3, { w: 0, n: 1 })];
    expect(checkLogs(acks, new Map([log('s', moved)])).problems.join()).toMatch(/acknowledged at seq/);
  });

  it('finds counters that disagree with the log and a retry that was not a duplicate', () => {
    expect(checkLogs(acks, new Map([log('s', good(), 4)])).problems.join()).toMatch(/messageCount 4/);
    expect(checkLogs(acks, new Map([log('s', good(), 3, 5)])).problems.join()).toMatch(/lastSeq 5/);
    const badRetry: Ack[] = [acks[0]!, { ...acks[1]!, retried: { firstSeq: 4, lastSeq: 4, duplicate: false } }];
    expect(checkLogs(badRetry, new Map([log('s', good())])).problems.join()).toMatch(/retry with key k/);
  });
});

describe('checkFaultLog', () => {
  const call = (batch: number, size: number, extra: Partial<FaultCall>): FaultCall => ({
    appender: 0, batch, userId: 'u', sessionId: 's', size, attempt: 1, startedAt: 0, durationMs: 10, ...extra,
  });
  const msg = (b: number, i: number) => ({ a: 0, b, i });
  const logs = (messages: StoredMessage<JsonObject>[]) => new Map([[sessionLogKey('u', 's'), { info: info('s', messages.length, messages.at(-1)?.seq ?? 0), messages }]]);

  it('passes whole batches and finds a half-written one', () => {
    const calls = [call(0, 2, { result: { firstSeq: 1, lastSeq: 2, duplicate: false } }), call(1, 2, { error: 'UNAVAILABLE' })];
    expect(checkFaultLog(calls, logs([stored(1, msg(0, 0)), stored(2, msg(0, 1))]), { maxCallMs: 1000 }).problems).toEqual([]);
    const half = logs([stored(1, msg(0, 0)), stored(2, msg(0, 1)), stored(3, msg(1, 0))]);
    expect(checkFaultLog(calls, half, { maxCallMs: 1000 }).problems.join()).toMatch(/half-written: 1 of 2/);
  });

  it('finds a lost acknowledged batch, a raw error, a slow call and a leaked error message', () => {
    const lost = [call(0, 1, { result: { firstSeq: 1, lastSeq: 1, duplicate: false } })];
    expect(checkFaultLog(lost, logs([]), { maxCallMs: 1000 }).problems.join()).toMatch(/acknowledged .* but missing/);
    const raw = [call(0, 1, { error: 'raw Error', durationMs: 5000, leakInMessage: true })];
    const problems = checkFaultLog(raw, logs([]), { maxCallMs: 1000 }).problems.join('\n');
    expect(problems).toMatch(/expected UNAVAILABLE/);
    expect(problems).toMatch(/took 5000 ms/);
    expect(problems).toMatch(/quotes message content/);
  });

  it('allows whole-session loss only before the given time', () => {
    const calls = [call(0, 1, { startedAt: 5, result: { firstSeq: 1, lastSeq: 1, duplicate: false } })];
    expect(checkFaultLog(calls, logs([]), { maxCallMs: 1000, lossAllowedBefore: 10 })).toMatchObject({ problems: [], lostWithNode: 1 });
    expect(checkFaultLog(calls, logs([]), { maxCallMs: 1000, lossAllowedBefore: 1 }).problems).toHaveLength(1);
  });
});

describe('checkCutLog', () => {
  const batch = (b: number, extra: Partial<CutBatch>): CutBatch => ({
    process: 0, appender: 0, batch: b, userId: 'u', sessionId: 's', size: 2, attempts: 1, errors: [], maxCallMs: 10, ...extra,
  });
  const msg = (b: number, i: number) => ({ p: 0, a: 0, b, i });
  const logs = (messages: StoredMessage<JsonObject>[]) => new Map([[sessionLogKey('u', 's'), { info: info('s', messages.length, messages.at(-1)?.seq ?? 0), messages }]]);
  const acked = (firstSeq: number) => ({ result: { firstSeq, lastSeq: firstSeq + 1, duplicate: false } });

  it('passes an acknowledged batch, a keyed retry and a failed unkeyed batch stored once or not at all', () => {
    const batches = [
      batch(0, acked(1)),
      batch(1, { key: 'k', attempts: 2, errors: ['UNAVAILABLE'], result: { firstSeq: 3, lastSeq: 4, duplicate: true } }),
      batch(2, { errors: ['UNAVAILABLE'] }),
      batch(3, { errors: ['UNAVAILABLE'] }),
    ];
    const stored = [stored1(1, msg(0, 0)), stored1(2, msg(0, 1)), stored1(3, msg(1, 0)), stored1(4, msg(1, 1)), stored1(5, msg(2, 0)), stored1(6, msg(2, 1))];
    const check = checkCutLog(batches, logs(stored), { maxCallMs: 1000 });
    expect(check.problems).toEqual([]);
    expect(check).toMatchObject({ storedOnce: 3, unkeyedFailed: 2, unkeyedFailedButStored: 1, keyedDuplicates: 1, keyedRetries: 1, doubled: 0 });
  });

  it('finds a doubled, a partial, a lost and an unsent batch, a keyed batch never acknowledged and a raw error', () => {
    const doubled = checkCutLog([batch(0, acked(1))], logs([stored1(1, msg(0, 0)), stored1(2, msg(0, 1)), stored1(3, msg(0, 0)), stored1(4, msg(0, 1))]), { maxCallMs: 1000 });
    expect(doubled.doubled).toBe(2);
    expect(doubled.problems.join()).toMatch(/stored 2 times/);
    const partial = checkCutLog([batch(0, { errors: ['UNAVAILABLE'] })], logs([stored1(1, msg(0, 0))]), { maxCallMs: 1000 });
    expect(partial.partial).toBe(1);
    const lost = checkCutLog([batch(0, acked(1))], logs([]), { maxCallMs: 1000 });
    expect(lost.lost).toBe(2);
    const unsent = checkCutLog([], logs([stored1(1, msg(9, 0))]), { maxCallMs: 1000 });
    expect(unsent.problems.join()).toMatch(/never sent/);
    const stuck = checkCutLog([batch(0, { key: 'k', errors: ['raw TypeError'], maxCallMs: 5000 })], logs([]), { maxCallMs: 1000 });
    expect(stuck.problems.join('\n')).toMatch(/never acknowledged/);
    expect(stuck.problems.join('\n')).toMatch(/failed with raw TypeError/);
    expect(stuck.problems.join('\n')).toMatch(/took 5000 ms/);
  });
});
