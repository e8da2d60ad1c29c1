import { attempt } from '../attempt.js';
import { compare, type MeasureOptions } from '../measure.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchRow } from '../suite.js';

/** One side of a store-vs-peer comparison, over session ids it manages itself. */
export interface ChatHistorySide {
  /** Shown in the tables, e.g. "LangChain RedisChatMessageHistory (ioredis)". */
  name: string;
  /** Appends message `i` to `session`. */
  append(session: string, i: number): Promise<unknown>;
  /** Returns the newest 20 messages of `session` (however the side has to get them). */
  readNewest20(session: string): Promise<unknown>;
  /** Puts `length` messages into `session` (set-up, not measured; bulk where possible). */
  fill(session: string, length: number): Promise<void>;
}

/** The peer side, with what it does per call and what it cannot do. */
export interface PeerSide extends ChatHistorySide {
  /** What the peer does per call, for the table's notes. */
  perCall: string;
  /** Longest session the peer can hold, and why; longer reads become "cannot" rows. */
  maxLength?: { length: number; reason: string };
}

/** Sizes of a store-vs-peer run. */
export interface PeerPlan {
  /** Shown as the variant, e.g. "redis". */
  backend: string;
  awaited: MeasureOptions;
  inFlight: MeasureOptions;
  /** Session lengths of the read scenario. */
  lengths: number[];
  /** Options of the read at a given length (a peer reading the whole history needs fewer ops). */
  readOptions(length: number): MeasureOptions;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Scenarios 1 and 2 of one backend: our store against a peer library on the same server,
 * runs interleaved. A ratio above 1 means the store is ahead of the peer.
 */
export async function storeVersusPeer(ours: ChatHistorySide, peer: PeerSide, plan: PeerPlan): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const base = { subjectName: ours.name, baselineName: peer.name, note: peer.perCall };
  const variant = `${plan.backend}, vs peer`;
  rows.push(
    await attempt({ scenario: SCENARIOS.appendAwaited, variant, subjectName: ours.name }, async () => ({
      scenario: SCENARIOS.appendAwaited,
      variant,
      ...base,
      ...(await compare((i) => ours.append('peer-append-1', i), (i) => peer.append('peer-append-1', i), plan.awaited)),
    })),
  );
  rows.push(
    await attempt({ scenario: SCENARIOS.appendInFlight, variant, subjectName: ours.name }, async () => ({
      scenario: SCENARIOS.appendInFlight,
      variant,
      ...base,
      ...(await compare((i) => ours.append('peer-append-32', i), (i) => peer.append('peer-append-32', i), plan.inFlight)),
    })),
  );
  for (const length of plan.lengths) {
    const session = `peer-read-${length}`;
    const variant = `${plan.backend}, vs peer, session length ${fmt(length)}`;
    if (peer.maxLength && length > peer.maxLength.length) {
      rows.push({ kind: 'gap', scenario: SCENARIOS.read, variant, subjectName: peer.name, reason: peer.maxLength.reason });
      continue;
    }
    await ours.fill(session, length);
    await peer.fill(session, length);
    rows.push({
      scenario: SCENARIOS.read,
      variant,
      ...base,
      ...(await compare(() => ours.readNewest20(session), () => peer.readNewest20(session), plan.readOptions(length))),
    });
  }
  return rows;
}

/** Sizes of scenario 6: `sessions` sessions of `perSession` messages per run, 32 appenders. */
export interface ManySessionsPlan {
  backend: string;
  sessions: number;
  perSession: number;
  runs: number;
}

/**
 * Scenario 6: `sessions` x `perSession` one-message appends by 32 workers, message i going to
 * session i mod `sessions` (so the workers spread over the sessions), fresh sessions each run.
 * `other` is a peer or a raw-driver floor.
 */
export async function manySessions(ours: ChatHistorySide, other: ChatHistorySide, plan: ManySessionsPlan, extra: { aim?: number; note?: string } = {}): Promise<BenchRow> {
  const ops = plan.sessions * plan.perSession;
  const session = (i: number) => `many-${Math.floor(i / ops)}-${i % plan.sessions}`;
  const variant = `${plan.backend}, ${fmt(plan.sessions)} sessions x ${fmt(plan.perSession)} messages`;
  return attempt({ scenario: SCENARIOS.manySessions, variant, subjectName: ours.name }, async () => ({
    scenario: SCENARIOS.manySessions,
    variant,
    subjectName: ours.name,
    baselineName: other.name,
    ...extra,
    ...(await compare((i) => ours.append(session(i), i), (i) => other.append(session(i), i), { ops, runs: plan.runs, concurrency: 32, warmup: Math.min(ops, 1_000) })),
  }));
}
