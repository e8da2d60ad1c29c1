import type { SessionStore } from '@sessions/core';
import { sessionLogKey } from './check-fault-log.js';
import type { SessionLog } from './check-logs.js';
import { batchId, type CutBatch } from './cut-workload.js';

/** What {@link checkCutLog} found: the figures of docs/reliability.md and one line per broken promise. */
export interface CutCheck {
  batches: number;
  /** Append calls, retries included. */
  calls: number;
  failedCalls: number;
  keyedBatches: number;
  /** Keyed batches acknowledged (each retried with its key until it was). */
  keyedAcknowledged: number;
  /** Keyed calls sent again after a failure. */
  keyedRetries: number;
  /** Keyed retries answered `duplicate: true`: the failed attempt had been applied. */
  keyedDuplicates: number;
  unkeyedBatches: number;
  unkeyedAcknowledged: number;
  /** Unkeyed calls that failed (sent once, never again). */
  unkeyedFailed: number;
  /** Of those, how many the server had applied anyway (whole). */
  unkeyedFailedButStored: number;
  /** Batches stored exactly once, whole. */
  storedOnce: number;
  /** Messages the server holds more than once. */
  doubled: number;
  /** Batches the server holds only part of. */
  partial: number;
  /** Acknowledged messages the server does not hold. */
  lost: number;
  maxCallMs: number;
  /** Calls that never settled. */
  hung: number;
  problems: string[];
}

/** Options of {@link checkCutLog}. */
export interface CutCheckOptions {
  /** Longest a single call may take, ms. */
  maxCallMs: number;
}

/** Reads, with a store that does not go through the proxies, every session the batches wrote to. */
export async function readCutLogs(store: SessionStore, batches: CutBatch[]): Promise<Map<string, SessionLog>> {
  const logs = new Map<string, SessionLog>();
  for (const { userId, sessionId } of batches) {
    const key = sessionLogKey(userId, sessionId);
    if (logs.has(key)) continue;
    const info = await store.getSession(userId, sessionId, { limit: 0 });
    logs.set(key, { info, messages: await store.getMessages(userId, sessionId) });
  }
  return logs;
}

const MAX_PROBLEMS = 50;

/**
 * Checks what the server holds against what the client processes were told. An acknowledged
 * batch is stored once, whole, at the seqs it was given, in its session; a batch without a key
 * whose call failed is stored once or not at all; no message is stored twice; no batch is
 * stored in part; nothing is stored that was never sent; seqs increase; `messageCount` and
 * `lastSeq` agree with the log; calls fail only with `UNAVAILABLE` (or `CONFLICT`, which
 * promises nothing was written) and within `maxCallMs`; every keyed batch was acknowledged.
 */
export function checkCutLog(batches: CutBatch[], logs: Map<string, SessionLog>, options: CutCheckOptions): CutCheck {
  const problems: string[] = [];
  const problem = (line: string) => void (problems.length < MAX_PROBLEMS && problems.push(line));
  const out: CutCheck = {
    batches: batches.length, calls: 0, failedCalls: 0, keyedBatches: 0, keyedAcknowledged: 0, keyedRetries: 0, keyedDuplicates: 0,
    unkeyedBatches: 0, unkeyedAcknowledged: 0, unkeyedFailed: 0, unkeyedFailedButStored: 0, storedOnce: 0, doubled: 0, partial: 0, lost: 0, maxCallMs: 0, hung: 0, problems,
  };

  // batch id → the log it is in and the seqs of its messages, by index (several per index = doubled)
  const stored = new Map<string, { log: string; seqs: number[][] }>();
  for (const [logKey, log] of logs) {
    let previous = 0;
    for (const { seq, message } of log.messages) {
      if (seq <= previous) problem(`${logKey}: seq ${seq} follows ${previous}`);
      previous = seq;
      const id = `${String(message['p'])}:${String(message['a'])}:${String(message['b'])}`;
      const entry = stored.get(id) ?? { log: logKey, seqs: [] };
      if (entry.log !== logKey) problem(`batch ${id} stored in two sessions`);
      const index = Number(message['i']);
      (entry.seqs[index] ??= []).push(seq);
      stored.set(id, entry);
    }
    if (log.info && log.info.messageCount !== log.messages.length) problem(`${logKey}: messageCount ${log.info.messageCount}, log holds ${log.messages.length}`);
    if (log.info && log.info.lastSeq !== previous) problem(`${logKey}: lastSeq ${log.info.lastSeq}, newest message ${previous}`);
    if (!log.info && log.messages.length > 0) problem(`${logKey}: messages but no session`);
  }

  const sent = new Set<string>();
  for (const batch of batches) {
    const id = batchId(batch);
    sent.add(id);
    out.calls += batch.attempts;
    out.failedCalls += batch.errors.length;
    out.maxCallMs = Math.max(out.maxCallMs, batch.maxCallMs);
    if (batch.maxCallMs > options.maxCallMs) problem(`batch ${id}: a call took ${batch.maxCallMs} ms`);
    if (batch.hung) out.hung++;
    for (const code of batch.errors) if (code !== 'UNAVAILABLE' && code !== 'CONFLICT') problem(`batch ${id}: a call failed with ${code}`);

    const entry = stored.get(id);
    const copies = entry ? Math.max(...entry.seqs.map((s) => s?.length ?? 0)) : 0;
    const present = entry ? entry.seqs.filter((s) => s !== undefined && s.length > 0).length : 0;
    if (copies > 1) {
      out.doubled += entry!.seqs.reduce((sum, s) => sum + Math.max(0, (s?.length ?? 0) - 1), 0);
      problem(`batch ${id} (${batch.key ? `key ${batch.key}` : 'no key'}, ${batch.attempts} calls, errors ${batch.errors.join(',') || 'none'}): stored ${copies} times`);
    }
    if (present !== 0 && present !== batch.size) {
      out.partial++;
      problem(`batch ${id}: ${present} of its ${batch.size} messages stored`);
    }
    const once = entry !== undefined && copies === 1 && present === batch.size;
    if (once) {
      out.storedOnce++;
      const first = entry.seqs[0]![0]!;
      if (entry.seqs.some((s, i) => s![0] !== first + i)) problem(`batch ${id}: not contiguous (${entry.seqs.join(',')})`);
      if (entry.log !== sessionLogKey(batch.userId, batch.sessionId)) problem(`batch ${id}: stored in another session`);
    }

    if (batch.key !== undefined) {
      out.keyedBatches++;
      out.keyedRetries += batch.attempts - 1;
      if (batch.result?.duplicate) out.keyedDuplicates++;
      if (batch.result) out.keyedAcknowledged++;
      else problem(`batch ${id}: key ${batch.key} never acknowledged in ${batch.attempts} calls (${batch.errors.join(',')})`);
    } else {
      out.unkeyedBatches++;
      if (batch.result) out.unkeyedAcknowledged++;
      else {
        out.unkeyedFailed++;
        if (entry) out.unkeyedFailedButStored++;
        if (entry && batch.errors.at(-1) === 'CONFLICT') problem(`batch ${id}: failed with CONFLICT (nothing written) but stored`);
      }
    }
    if (batch.result) {
      if (!entry) {
        out.lost += batch.size;
        problem(`batch ${id}: acknowledged at ${batch.result.firstSeq}..${batch.result.lastSeq} but not stored`);
      } else if (once && (entry.seqs[0]![0] !== batch.result.firstSeq || entry.seqs.at(-1)![0] !== batch.result.lastSeq)) {
        problem(`batch ${id}: acknowledged at ${batch.result.firstSeq}..${batch.result.lastSeq} but stored at ${entry.seqs[0]![0]}..${entry.seqs.at(-1)![0]}`);
      }
    }
  }
  for (const id of stored.keys()) if (!sent.has(id)) problem(`batch ${id} stored but never sent`);
  return out;
}
