/** The user every worker of a many-process run writes to. */
export const WORKLOAD_USER = 'reliability-user';
/** The session every worker appends to. */
export const SHARED_SESSION = 'shared';
/** How many other sessions the workers share between them. */
export const SESSION_SET_SIZE = 4;

/** The ids of every session a run writes to. */
export function workloadSessions(): string[] {
  return [SHARED_SESSION, ...Array.from({ length: SESSION_SET_SIZE }, (_, i) => `set-${i}`)];
}

/** One message a worker appends: who wrote it and its place in that worker's sequence. */
export interface WorkMessage {
  [key: string]: string | number;
  /** Worker index. */
  w: number;
  /** Position in the worker's own sequence (0, 1, 2, ... across all its sessions). */
  n: number;
  /** The operation (append call) that carried it. */
  op: number;
  body: string;
}

/** One append call of a worker. */
export interface WorkOperation {
  op: number;
  sessionId: string;
  messages: WorkMessage[];
  /** Passed as the call's idempotencyKey. */
  key?: string;
  /** Call a second time with the same key: it must come back `duplicate: true` and write nothing. */
  retry: boolean;
  /** Pass one message rather than an array of one. */
  single: boolean;
}

/** A small deterministic PRNG (mulberry32), so a failing plan can be rebuilt from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The append calls of worker `worker`: `messageCount` messages, half of the calls single
 * messages and half batches of 2 to 8, half to the shared session and half to one of the
 * session set; 40% carry an idempotency key and a quarter of those are sent twice.
 */
export function workerPlan(worker: number, messageCount: number, seed = 1): WorkOperation[] {
  const random = prng(seed * 1000 + worker);
  const sessions = workloadSessions();
  const ops: WorkOperation[] = [];
  let n = 0;
  while (n < messageCount) {
    const op = ops.length;
    const single = random() < 0.5;
    const size = single ? 1 : Math.min(2 + Math.floor(random() * 7), messageCount - n);
    const sessionId = random() < 0.5 ? SHARED_SESSION : sessions[1 + Math.floor(random() * SESSION_SET_SIZE)]!;
    const keyed = random() < 0.4;
    const messages: WorkMessage[] = [];
    for (let i = 0; i < size; i++, n++) messages.push({ w: worker, n, op, body: `worker ${worker} message ${n}` });
    ops.push({
      op,
      sessionId,
      messages,
      ...(keyed ? { key: `w${worker}-op${op}` } : {}),
      retry: keyed && random() < 0.25,
      single: size === 1 && single,
    });
  }
  return ops;
}

/** What a worker reports to its parent for each acknowledged append call. */
export interface Ack {
  worker: number;
  op: number;
  sessionId: string;
  /** The `n` of each message of the call, in order. */
  ns: number[];
  firstSeq: number;
  lastSeq: number;
  key?: string;
  /** The result of the deliberate second call with the same key. */
  retried?: { firstSeq: number; lastSeq: number; duplicate: boolean };
}

/** Messages between a worker and its parent over the IPC channel. */
export type WorkerReport =
  | { type: 'acks'; acks: Ack[] }
  | { type: 'done'; worker: number; calls: number; conflictRetries: number; unavailableRetries: number }
  | { type: 'failed'; worker: number; error: string; code?: string };
