import type { JsonObject, SessionInfo, SessionStore, StoredMessage } from '@sessions/core';
import type { Ack } from './workload.js';

/** One session as read back after a run. */
export interface SessionLog {
  info: SessionInfo | null;
  messages: StoredMessage<JsonObject>[];
}

/** Reads every session's info and full log through the store. */
export async function readLogs(store: SessionStore, userId: string, sessionIds: string[]): Promise<Map<string, SessionLog>> {
  const logs = new Map<string, SessionLog>();
  for (const id of sessionIds) {
    const info = await store.getSession(userId, id, { limit: 0 });
    const messages = await store.getMessages(userId, id);
    logs.set(id, { info, messages });
  }
  return logs;
}

/** What {@link checkLogs} found: counts, and one line per broken promise (empty = nothing lost). */
export interface LogCheck {
  acknowledgedCalls: number;
  acknowledgedMessages: number;
  storedMessages: number;
  retriedCalls: number;
  problems: string[];
}

const MAX_PROBLEMS = 50;

/**
 * Checks the logs against what the workers were told: every acknowledged message present
 * exactly once, at the seqs its call returned and in the session it was sent to; nothing
 * stored that was not acknowledged; seqs strictly increasing; each worker's own order kept;
 * `messageCount` and `lastSeq` equal to what the log holds; every deliberate retry with the
 * same idempotency key answered `duplicate: true` with the first call's seqs.
 */
export function checkLogs(acks: Ack[], logs: Map<string, SessionLog>): LogCheck {
  const problems: string[] = [];
  const problem = (line: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(line);
  };
  // `${w}:${n}` → where it was stored
  const stored = new Map<string, { sessionId: string; seq: number }>();
  let storedMessages = 0;
  for (const [sessionId, log] of logs) {
    let previous = 0;
    for (const entry of log.messages) {
      storedMessages++;
      if (entry.seq <= previous) problem(`${sessionId}: seq ${entry.seq} follows seq ${previous}`);
      previous = entry.seq;
      const id = `${String(entry.message['w'])}:${String(entry.message['n'])}`;
      if (stored.has(id)) problem(`${sessionId}: message ${id} stored twice (seq ${stored.get(id)!.seq} and ${entry.seq})`);
      stored.set(id, { sessionId, seq: entry.seq });
    }
    const last = log.messages.at(-1)?.seq ?? 0;
    if (!log.info) {
      if (log.messages.length > 0) problem(`${sessionId}: messages but no session`);
      continue;
    }
    if (log.info.messageCount !== log.messages.length) problem(`${sessionId}: messageCount ${log.info.messageCount} but the log holds ${log.messages.length}`);
    if (log.info.lastSeq !== last) problem(`${sessionId}: lastSeq ${log.info.lastSeq} but the newest message has seq ${last}`);
  }

  let acknowledgedMessages = 0;
  let retriedCalls = 0;
  const acked = new Set<string>();
  // worker → session → last seq seen, to check each worker's own order
  const order = new Map<string, number>();
  const sorted = [...acks].sort((a, b) => a.worker - b.worker || a.op - b.op);
  for (const ack of sorted) {
    if (ack.lastSeq - ack.firstSeq + 1 !== ack.ns.length) problem(`worker ${ack.worker} op ${ack.op}: ${ack.ns.length} messages acknowledged with seqs ${ack.firstSeq}..${ack.lastSeq}`);
    ack.ns.forEach((n, i) => {
      acknowledgedMessages++;
      const id = `${ack.worker}:${n}`;
      acked.add(id);
      const where = stored.get(id);
      if (!where) return problem(`worker ${ack.worker} message ${n} (op ${ack.op}) acknowledged but missing`);
      if (where.sessionId !== ack.sessionId) problem(`message ${id} sent to ${ack.sessionId} but stored in ${where.sessionId}`);
      if (where.seq !== ack.firstSeq + i) problem(`message ${id} acknowledged at seq ${ack.firstSeq + i} but stored at ${where.seq}`);
    });
    const orderKey = `${ack.worker}:${ack.sessionId}`;
    if ((order.get(orderKey) ?? 0) >= ack.firstSeq) problem(`worker ${ack.worker} op ${ack.op}: seq ${ack.firstSeq} is not after its previous append to ${ack.sessionId}`);
    order.set(orderKey, ack.lastSeq);
    if (ack.retried) {
      retriedCalls++;
      const r = ack.retried;
      if (!r.duplicate || r.firstSeq !== ack.firstSeq || r.lastSeq !== ack.lastSeq) {
        problem(`worker ${ack.worker} op ${ack.op}: retry with key ${ack.key} returned ${JSON.stringify(r)}, first call ${ack.firstSeq}..${ack.lastSeq}`);
      }
    }
  }
  for (const id of stored.keys()) if (!acked.has(id)) problem(`message ${id} stored but never acknowledged`);
  return { acknowledgedCalls: acks.length, acknowledgedMessages, storedMessages, retriedCalls, problems };
}
