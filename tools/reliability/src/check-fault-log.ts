import type { SessionStore } from '@sessions/core';
import type { SessionLog } from './check-logs.js';
import type { FaultCall } from './fault-appenders.js';

/** Options of {@link checkFaultLog}. */
export interface FaultCheckOptions {
  /** Longest a single call may take, ms. */
  maxCallMs: number;
  /**
   * Acknowledged writes made before this time may be gone, a whole session at a time (a Redis
   * Cluster node of the harness keeps no data across a restart). Absent: nothing may be lost.
   */
  lossAllowedBefore?: number;
}

/** What {@link checkFaultLog} found. */
export interface FaultCheck {
  calls: number;
  failedCalls: number;
  acknowledgedBatches: number;
  /** Calls that came back `duplicate: true`: a retry whose first attempt had landed after all. */
  duplicatesReturned: number;
  /** Batches without a key that failed and were not retried; each must be whole or absent. */
  abandonedBatches: number;
  abandonedButStored: number;
  /** Acknowledged messages gone with a node that keeps no data (only with `lossAllowedBefore`). */
  lostWithNode: number;
  maxCallMs: number;
  /** Errors whose `util.inspect` (cause included) quoted message content or a secret; their own message never may. */
  errorsQuotingContentInCause: number;
  problems: string[];
}

/** The log key of a session. */
export const sessionLogKey = (userId: string, sessionId: string): string => `${userId}\u0000${sessionId}`;

/** Reads every session the calls wrote to. */
export async function readFaultLogs(store: SessionStore, calls: FaultCall[]): Promise<Map<string, SessionLog>> {
  const logs = new Map<string, SessionLog>();
  for (const call of calls) {
    const key = sessionLogKey(call.userId, call.sessionId);
    if (logs.has(key)) continue;
    const info = await store.getSession(call.userId, call.sessionId, { limit: 0 });
    logs.set(key, { info, messages: await store.getMessages(call.userId, call.sessionId) });
  }
  return logs;
}

/**
 * Checks the logs after a fault run: calls failed only with UNAVAILABLE and within
 * `maxCallMs`; every batch is whole (all its messages, contiguous and in order) or absent;
 * no message is stored twice (retries with the same key were answered `duplicate`); every
 * acknowledged batch is stored at the seqs it was given; `messageCount` and `lastSeq` agree
 * with the log.
 */
export function checkFaultLog(calls: FaultCall[], logs: Map<string, SessionLog>, options: FaultCheckOptions): FaultCheck {
  const problems: string[] = [];
  const problem = (line: string) => void (problems.length < 50 && problems.push(line));
  const out: FaultCheck = { calls: calls.length, failedCalls: 0, acknowledgedBatches: 0, duplicatesReturned: 0, abandonedBatches: 0, abandonedButStored: 0, lostWithNode: 0, maxCallMs: 0, errorsQuotingContentInCause: 0, problems };

  // `${a}:${b}` → the seqs of its messages, by index
  const stored = new Map<string, { log: string; seqs: number[] }>();
  for (const [logKey, log] of logs) {
    let previous = 0;
    for (const { seq, message } of log.messages) {
      if (seq <= previous) problem(`${logKey}: seq ${seq} follows ${previous}`);
      previous = seq;
      const batch = `${String(message['a'])}:${String(message['b'])}`;
      const entry = stored.get(batch) ?? { log: logKey, seqs: [] };
      if (entry.log !== logKey) problem(`batch ${batch} stored in two sessions`);
      const index = Number(message['i']);
      if (entry.seqs[index] !== undefined) problem(`message ${batch}:${index} stored twice (seqs ${entry.seqs[index]} and ${seq})`);
      entry.seqs[index] = seq;
      stored.set(batch, entry);
    }
    if (log.info && log.info.messageCount !== log.messages.length) problem(`${logKey}: messageCount ${log.info.messageCount}, log holds ${log.messages.length}`);
    if (log.info && log.info.lastSeq !== previous) problem(`${logKey}: lastSeq ${log.info.lastSeq}, newest message ${previous}`);
  }

  const byBatch = new Map<string, FaultCall[]>();
  for (const call of calls) {
    out.maxCallMs = Math.max(out.maxCallMs, call.durationMs);
    if (call.durationMs > options.maxCallMs) problem(`call ${call.appender}:${call.batch} #${call.attempt} took ${call.durationMs} ms`);
    if (call.error) {
      out.failedCalls++;
      if (call.error !== 'UNAVAILABLE') problem(`call ${call.appender}:${call.batch} failed with ${call.error}, expected UNAVAILABLE`);
      if (call.leakInMessage) problem(`call ${call.appender}:${call.batch}: the error message quotes message content or a secret`);
      if (call.leakInInspect) out.errorsQuotingContentInCause++;
    }
    if (call.result?.duplicate) out.duplicatesReturned++;
    const batch = `${call.appender}:${call.batch}`;
    byBatch.set(batch, [...(byBatch.get(batch) ?? []), call]);
  }

  const lostSessions = new Set<string>();
  if (options.lossAllowedBefore !== undefined) {
    for (const [batch, batchCalls] of byBatch) {
      const ack = batchCalls.find((c) => c.result);
      if (ack && ack.startedAt < options.lossAllowedBefore && !stored.has(batch)) lostSessions.add(sessionLogKey(ack.userId, ack.sessionId));
    }
  }

  for (const [batch, batchCalls] of byBatch) {
    const first = batchCalls[0]!;
    const logKey = sessionLogKey(first.userId, first.sessionId);
    const entry = stored.get(batch);
    const present = entry ? entry.seqs.filter((s) => s !== undefined).length : 0;
    if (present !== 0 && present !== first.size) problem(`batch ${batch} half-written: ${present} of ${first.size} messages stored`);
    if (entry && present === first.size) {
      entry.seqs.forEach((seq, i) => {
        if (seq !== entry.seqs[0]! + i) problem(`batch ${batch} not contiguous: seqs ${entry.seqs.join(',')}`);
      });
      if (entry.log !== logKey) problem(`batch ${batch} stored in another session`);
    }
    const acks = batchCalls.filter((c) => c.result);
    if (acks.length === 0) {
      if (!first.key) {
        out.abandonedBatches++;
        if (entry) out.abandonedButStored++;
      }
      continue;
    }
    out.acknowledgedBatches++;
    const lost = lostSessions.has(logKey) && acks.every((c) => c.startedAt < options.lossAllowedBefore!);
    if (lost) {
      out.lostWithNode += entry ? 0 : first.size;
      continue;
    }
    if (!entry) {
      problem(`batch ${batch} acknowledged (seqs ${acks[0]!.result!.firstSeq}..${acks[0]!.result!.lastSeq}) but missing`);
      continue;
    }
    const last = acks.at(-1)!.result!;
    if (entry.seqs[0] !== last.firstSeq || entry.seqs.at(-1) !== last.lastSeq) {
      problem(`batch ${batch} acknowledged at ${last.firstSeq}..${last.lastSeq} but stored at ${entry.seqs[0]}..${entry.seqs.at(-1)}`);
    }
  }
  return out;
}
