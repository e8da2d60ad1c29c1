import type { AppendResult, JsonObject, SessionStoreErrorCode } from '@sessions/core';

/** A message as the model holds it: its seq and its JSON form. */
export interface ModelMessage {
  seq: number;
  message: JsonObject;
}

/** The first result of a call with an idempotency key: an append's, or a replaceTail's (with `removed`). */
type KeyedResult = AppendResult & { removed?: number };

interface ModelSession {
  metadata: JsonObject;
  lastSeq: number;
  messages: ModelMessage[];
  keys: Map<string, KeyedResult>;
}

/** What the model (or the store, normalised) answered: a value, or an error code. */
export type Outcome = { ok: true; value: unknown } | { ok: false; code: SessionStoreErrorCode; alsoAccepted?: SessionStoreErrorCode };

/** The comparable part of a session: no timestamps. */
export interface SessionView {
  id: string;
  metadata: JsonObject;
  messageCount: number;
  lastSeq: number;
}

const ok = (value: unknown): Outcome => ({ ok: true, value });
const fail = (code: SessionStoreErrorCode, alsoAccepted?: SessionStoreErrorCode): Outcome => ({ ok: false, code, alsoAccepted });

/** Shallow merge where `null` removes a key, written independently of core's helpers. */
function merge(current: JsonObject, patch: JsonObject | undefined): JsonObject {
  const result: JsonObject = { ...current };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null) delete result[key];
    else result[key] = value;
  }
  return result;
}

/**
 * A plain in-memory model of one user's sessions, kept deliberately simple (arrays and maps, no
 * indexes, no TTL, no timestamps) so that it is obviously right. The model-based test runs the
 * same commands on it and on the store and compares every answer.
 */
export class ReferenceModel {
  private readonly sessions = new Map<string, ModelSession>();

  private view(id: string, s: ModelSession): SessionView {
    return { id, metadata: { ...s.metadata }, messageCount: s.messages.length, lastSeq: s.lastSeq };
  }

  lastSeq(id: string): number {
    return this.sessions.get(id)?.lastSeq ?? 0;
  }

  createSession(id: string, metadata: JsonObject): Outcome {
    if (this.sessions.has(id)) return fail('ALREADY_EXISTS');
    const session: ModelSession = { metadata: merge({}, metadata), lastSeq: 0, messages: [], keys: new Map() };
    this.sessions.set(id, session);
    return ok(this.view(id, session));
  }

  getSession(id: string, limit: number | undefined): Outcome {
    const s = this.sessions.get(id);
    if (!s) return ok(null);
    return ok({ ...this.view(id, s), messages: this.newest(s.messages, limit) });
  }

  getOrCreateSession(id: string, metadata: JsonObject, limit: number | undefined): Outcome {
    const created = !this.sessions.has(id);
    if (created) this.createSession(id, metadata);
    const s = this.sessions.get(id);
    if (!s) throw new Error('unreachable: the session was just created');
    return ok({ ...this.view(id, s), messages: this.newest(s.messages, limit), created });
  }

  append(id: string, batch: JsonObject[], expectedLastSeq: number | undefined, key: string | undefined, create: boolean): Outcome {
    let s = this.sessions.get(id);
    const applied = key === undefined ? undefined : s?.keys.get(key);
    // One key space with replaceTail, whose results also carry `removed`: an append answers without it.
    if (applied) return ok({ firstSeq: applied.firstSeq, lastSeq: applied.lastSeq, duplicate: true });
    const lastSeq = s?.lastSeq ?? 0;
    if (expectedLastSeq !== undefined && expectedLastSeq !== lastSeq) return fail('CONFLICT');
    if (!s) {
      if (!create) return fail('NOT_FOUND');
      s = { metadata: {}, lastSeq: 0, messages: [], keys: new Map() };
      this.sessions.set(id, s);
    }
    batch.forEach((message, i) => s.messages.push({ seq: lastSeq + 1 + i, message }));
    s.lastSeq = lastSeq + batch.length;
    const result: AppendResult = { firstSeq: lastSeq + 1, lastSeq: s.lastSeq, duplicate: false };
    if (key !== undefined) s.keys.set(key, result);
    return ok(result);
  }

  /** Removes every message above `afterSeq`, then appends `batch` after lastSeq; append's rules for keys and expectedLastSeq. */
  replaceTail(id: string, afterSeq: number, batch: JsonObject[], expectedLastSeq: number | undefined, key: string | undefined, create: boolean): Outcome {
    let s = this.sessions.get(id);
    const applied = key === undefined ? undefined : s?.keys.get(key);
    if (applied) return ok({ removed: applied.removed ?? 0, firstSeq: applied.firstSeq, lastSeq: applied.lastSeq, duplicate: true });
    const lastSeq = s?.lastSeq ?? 0;
    if (expectedLastSeq !== undefined && expectedLastSeq !== lastSeq) return fail('CONFLICT');
    if (!s) {
      // A replacement with no messages never creates the session.
      if (batch.length === 0) return ok({ removed: 0, firstSeq: 1, lastSeq: 0, duplicate: false });
      if (!create) return fail('NOT_FOUND');
      s = { metadata: {}, lastSeq: 0, messages: [], keys: new Map() };
      this.sessions.set(id, s);
    }
    const kept = s.messages.filter((m) => m.seq <= afterSeq);
    const removed = s.messages.length - kept.length;
    s.messages = [...kept, ...batch.map((message, i) => ({ seq: lastSeq + 1 + i, message }))];
    s.lastSeq = lastSeq + batch.length;
    const result = { removed, firstSeq: lastSeq + 1, lastSeq: s.lastSeq, duplicate: false };
    if (key !== undefined) s.keys.set(key, result);
    return ok(result);
  }

  /** Removes every message below `beforeSeq`; 0 for a missing session. */
  trimSession(id: string, beforeSeq: number): Outcome {
    const s = this.sessions.get(id);
    if (!s) return ok(0);
    const kept = s.messages.filter((m) => m.seq >= beforeSeq);
    const removed = s.messages.length - kept.length;
    s.messages = kept;
    return ok(removed);
  }

  /** Replaces held messages in place; seqs not held are reported, ascending. `rewrites` is not empty. */
  rewriteMessages(id: string, rewrites: ModelMessage[], expectedLastSeq: number | undefined): Outcome {
    const s = this.sessions.get(id);
    if (!s) return fail('NOT_FOUND');
    if (expectedLastSeq !== undefined && expectedLastSeq !== s.lastSeq) return fail('CONFLICT');
    const bySeq = new Map(rewrites.map((r) => [r.seq, r.message]));
    const held = new Set(s.messages.map((m) => m.seq));
    const missing = rewrites.map((r) => r.seq).filter((seq) => !held.has(seq)).sort((a, b) => a - b);
    // New entries, never mutated ones: a fork shares its source's entries.
    s.messages = s.messages.map((m) => {
      const message = bySeq.get(m.seq);
      return message === undefined ? m : { seq: m.seq, message };
    });
    return ok({ rewritten: rewrites.length - missing.length, missing });
  }

  getMessages(id: string, options: { limit?: number; afterSeq?: number; beforeSeq?: number; from?: 'start' | 'end' }): Outcome {
    const s = this.sessions.get(id);
    if (!s) return ok([]);
    const inRange = s.messages.filter(
      (m) => (options.afterSeq === undefined || m.seq > options.afterSeq) && (options.beforeSeq === undefined || m.seq < options.beforeSeq),
    );
    if (options.limit === undefined) return ok(inRange);
    if (options.from === 'start') return ok(inRange.slice(0, options.limit));
    return ok(this.newest(inRange, options.limit));
  }

  popMessage(id: string): Outcome {
    return ok(this.sessions.get(id)?.messages.pop() ?? null);
  }

  clearSession(id: string): Outcome {
    const s = this.sessions.get(id);
    if (s) s.messages = [];
    return ok(undefined);
  }

  updateSession(id: string, patch: JsonObject | undefined): Outcome {
    const s = this.sessions.get(id);
    if (!s) return fail('NOT_FOUND');
    s.metadata = merge(s.metadata, patch);
    return ok(this.view(id, s));
  }

  forkSession(id: string, target: string, uptoSeq: number | undefined, patch: JsonObject | undefined): Outcome {
    const source = this.sessions.get(id);
    // The contract does not order the two checks when both fail.
    if (!source) return this.sessions.has(target) ? fail('NOT_FOUND', 'ALREADY_EXISTS') : fail('NOT_FOUND');
    if (this.sessions.has(target)) return fail('ALREADY_EXISTS');
    const upto = Math.min(uptoSeq ?? source.lastSeq, source.lastSeq);
    const fork: ModelSession = {
      metadata: merge({ ...source.metadata, forkedFrom: { sessionId: id, seq: upto } }, patch),
      lastSeq: upto,
      messages: source.messages.filter((m) => m.seq <= upto),
      keys: new Map(),
    };
    this.sessions.set(target, fork);
    return ok(this.view(target, fork));
  }

  deleteSession(id: string): Outcome {
    return ok(this.sessions.delete(id));
  }

  listSessions(): Outcome {
    const views = [...this.sessions].map(([id, s]) => this.view(id, s));
    return ok(views.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  }

  private newest(messages: ModelMessage[], limit: number | undefined): ModelMessage[] {
    if (limit === undefined) return [...messages];
    return limit === 0 ? [] : messages.slice(-limit);
  }
}
