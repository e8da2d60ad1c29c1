import type { AppendOutcome, AppendRequest, Outcome } from '@sessions/core';
import { MAX_ATTEMPTS, sessionKey, type DriverContext, type Notifies, type SessionKey } from './context.js';
import { PostgresDriverError, isUniqueViolation } from './errors.js';
import { at, expired, expiry, live } from './fragments.js';
import { fullId, storageKey } from './ids.js';
import { notifiedCte } from './notify.js';
import { resetExpired } from './reset-expired.js';
import { statement, type Placeholder } from './statement.js';
import type { TableNames } from './tables.js';

/** Parameters of the append statements. */
export interface AppendParams extends SessionKey, Notifies {
  /**
   * The stored text of a one-message append, or the texts of a batch as one JSON array of
   * strings (one parameter, no array type needed).
   */
  texts: string;
  /** How many texts. */
  count: number;
  now: number;
  expectedLastSeq: number | null;
  /** The idempotency key's storage key (only the keyed statements read it). */
  key: string | null;
  /** The TTL of a session the append creates (only the creating statements read it). */
  ttlMs: number | null;
  /** The ids as given when their key columns hold storage keys (only for a new session). */
  userFull: string | null;
  sessionFull: string | null;
}

/** The row of an append that wrote: the batch's seqs. */
export interface AppendRow {
  [column: string]: unknown;
  first_seq: number;
  last_seq: number;
}

/** What an append statement is built for; each combination is its own prepared statement. */
export interface AppendShape {
  /** Create the session when missing (an upsert of its row) rather than update it only. */
  create: boolean;
  /** One message (its text is the parameter) rather than a batch (a JSON array to expand). */
  single: boolean;
  /** With an idempotency key to check and record. */
  keyed: boolean;
}

// The checks of an append on an existing row, in the contract's order: live, then the
// idempotency key, then expectedLastSeq. Evaluated on the locked, latest row version.
const checks = (t: TableNames, $: Placeholder<AppendParams>, keyed: boolean) => `${live('s', $('now'))}${
  keyed
    ? `
    AND NOT EXISTS (SELECT 1 FROM ${t.keys} k WHERE k.user_id = ${$('user')} AND k.session_id = ${$('session')} AND k.key = ${$('key')}::text)`
    : ''
}
    AND (${$('expectedLastSeq')}::bigint IS NULL OR s.last_seq = ${$('expectedLastSeq')}::bigint)`;

// Bump the session row's last_seq by the batch size: its row lock serialises appenders of one
// session, so seqs are contiguous and nothing is lost. An update costs less than an upsert (no
// arbiter index check, no insertion path), so a session the driver knows exists gets one.
const bump = (t: TableNames, $: Placeholder<AppendParams>, shape: AppendShape) =>
  shape.create
    ? `
  INSERT INTO ${t.sessions} AS s (user_id, id, user_id_full, id_full, metadata, created_at, updated_at, expires_at, ttl_ms, last_seq, message_count)
  VALUES (${$('user')}, ${$('session')}, ${$('userFull')}::text, ${$('sessionFull')}::text, '{}', ${at($('now'))}, ${at($('now'))},
    ${expiry(`${$('ttlMs')}::bigint`, $('now'))}, ${$('ttlMs')}::bigint, ${$('count')}::bigint, ${$('count')}::bigint)
  ON CONFLICT (user_id, id) DO UPDATE SET
    last_seq = s.last_seq + excluded.last_seq,
    message_count = s.message_count + excluded.message_count,
    updated_at = excluded.updated_at,
    expires_at = ${expiry('s.ttl_ms', $('now'))}
  WHERE ${checks(t, $, shape.keyed)}
  RETURNING s.last_seq`
    : `
  UPDATE ${t.sessions} AS s SET
    last_seq = s.last_seq + ${$('count')}::bigint,
    message_count = s.message_count + ${$('count')}::bigint,
    updated_at = ${at($('now'))},
    expires_at = ${expiry('s.ttl_ms', $('now'))}
  WHERE s.user_id = ${$('user')} AND s.id = ${$('session')} AND ${checks(t, $, shape.keyed)}
  RETURNING s.last_seq`;

// The rows: one message straight from its parameter (parsed once, as json), or a batch
// expanded from its JSON array with seqs taken from the bumped last_seq.
const rows = (t: TableNames, $: Placeholder<AppendParams>, single: boolean) =>
  single
    ? `
  INSERT INTO ${t.messages} (user_id, session_id, seq, message, created_at)
  SELECT ${$('user')}, ${$('session')}, bumped.last_seq, ${$('texts')}::text::json, ${at($('now'))} FROM bumped`
    : `
  INSERT INTO ${t.messages} (user_id, session_id, seq, message, created_at)
  SELECT ${$('user')}, ${$('session')}, bumped.last_seq - ${$('count')}::bigint + m.ord, m.body::json, ${at($('now'))}
  FROM bumped, json_array_elements_text(${$('texts')}::text::json) WITH ORDINALITY AS m(body, ord)`;

/**
 * One append statement: bump the session row (checks on the locked row), insert the messages,
 * record the idempotency key (keyed shapes), notify watchers, return the batch's seqs. No row
 * back means a check failed and nothing was written or sent: the caller reads the state to say
 * which.
 */
function appendStatement(shape: AppendShape) {
  return statement<AppendParams, AppendRow>(
    (t, $) => `
WITH bumped AS (${bump(t, $, shape)}
),
inserted AS (${rows(t, $, shape.single)}
),${
      shape.keyed
        ? `
keyed AS (
  INSERT INTO ${t.keys} (user_id, session_id, key, first_seq, last_seq, created_at)
  SELECT ${$('user')}, ${$('session')}, ${$('key')}::text, bumped.last_seq - ${$('count')}::bigint + 1, bumped.last_seq, ${at($('now'))} FROM bumped
),`
        : ''
    }
${notifiedCte(t.channel, $('payload'), 'bumped')}
SELECT (bumped.last_seq - ${$('count')}::bigint + 1)::float8 AS first_seq, bumped.last_seq::float8 AS last_seq FROM bumped, notified`,
  );
}

// The eight shapes, each declared once (a statement is compiled once per schema, and prepared
// once per connection).
const APPEND_STATEMENTS = new Map<string, ReturnType<typeof appendStatement>>();
for (const create of [false, true]) {
  for (const single of [false, true]) {
    for (const keyed of [false, true]) APPEND_STATEMENTS.set(shapeKey({ create, single, keyed }), appendStatement({ create, single, keyed }));
  }
}

function shapeKey(shape: AppendShape): string {
  return `${shape.create ? 'c' : 'u'}${shape.single ? '1' : 'n'}${shape.keyed ? 'k' : ''}`;
}

/** The append statement of a shape. */
export function appendStatementFor(shape: AppendShape): ReturnType<typeof appendStatement> {
  const found = APPEND_STATEMENTS.get(shapeKey(shape));
  if (!found) throw new Error(`no append statement for ${shapeKey(shape)}`);
  return found;
}

/** Parameters of {@link appendStateStatement}. */
export interface AppendStateParams extends SessionKey {
  now: number;
  key: string | null;
}

/** The row of {@link appendStateStatement}. */
export interface AppendStateRow {
  [column: string]: unknown;
  last_seq: number | null;
  expired: boolean | null;
  key_first_seq: number | null;
  key_last_seq: number | null;
  key_removed: number | null;
}

/**
 * Why a keyed or checked write wrote nothing: the session's state and the idempotency key's
 * first result. Read only on the slow path, after an append statement returned no row.
 */
export const appendStateStatement = statement<AppendStateParams, AppendStateRow>(
  (t, $) => `
SELECT s.last_seq::float8 AS last_seq, ${expired('s', $('now'))} AS expired,
  k.first_seq::float8 AS key_first_seq, k.last_seq::float8 AS key_last_seq, k.removed::float8 AS key_removed
FROM (SELECT 1) AS one
LEFT JOIN ${t.sessions} s ON s.user_id = ${$('user')} AND s.id = ${$('session')}
LEFT JOIN ${t.keys} k ON k.user_id = ${$('user')} AND k.session_id = ${$('session')} AND k.key = ${$('key')}::text`,
);

/**
 * Appends a batch in one statement. A session this driver has written or created recently
 * (see `known-sessions.ts`) gets the update; any other session, when the append may create it,
 * the upsert, so the first append of a new session is one statement too. When the update finds
 * no session (deleted meanwhile) the upsert follows. When they write nothing, one more read
 * says why (duplicate, conflict, missing, expired), and the statements run again only if the
 * state moved under them (a concurrent delete, an expired session to reset, a concurrent append
 * with the same idempotency key).
 */
export async function append(ctx: DriverContext, request: AppendRequest): Promise<Outcome<AppendOutcome, 'not_found' | 'conflict'>> {
  const { expectedLastSeq, create, texts } = request;
  const single = texts.length === 1;
  const keyed = request.idempotencyKey !== undefined;
  const params: AppendParams = {
    ...sessionKey(request),
    texts: single ? (texts[0] ?? '') : JSON.stringify(texts),
    count: texts.length,
    now: request.now,
    expectedLastSeq: expectedLastSeq ?? null,
    key: request.idempotencyKey === undefined ? null : storageKey(request.idempotencyKey),
    ttlMs: request.ttlMs,
    userFull: null,
    sessionFull: null,
  };
  const mayCreate = create && (expectedLastSeq === undefined || expectedLastSeq === 0);
  const update = appendStatementFor({ create: false, single, keyed });
  const upsert = appendStatementFor({ create: true, single, keyed });
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const known = ctx.knownSessions.has(params.payload);
    let result = !mayCreate || known ? await tryStatement(ctx, update, params) : undefined;
    if (!result && mayCreate) {
      result = await tryStatement(ctx, upsert, { ...params, userFull: fullId(request.userId), sessionFull: fullId(request.sessionId) });
    }
    if (result) {
      ctx.knownSessions.add(params.payload);
      return { firstSeq: result.first_seq, lastSeq: result.last_seq, duplicate: false };
    }
    ctx.knownSessions.delete(params.payload);
    const [state] = await ctx.run(appendStateStatement, params);
    const exists = state?.last_seq != null;
    const isLive = exists && state?.expired === false;
    if (isLive && state?.key_first_seq != null && state.key_last_seq != null) {
      return { firstSeq: state.key_first_seq, lastSeq: state.key_last_seq, duplicate: true };
    }
    const lastSeq = isLive ? (state?.last_seq ?? 0) : 0;
    if (expectedLastSeq !== undefined && expectedLastSeq !== lastSeq) return { failure: 'conflict', lastSeq };
    if (!isLive && !create) return { failure: 'not_found' };
    if (exists && !isLive) await resetExpired(ctx, params);
  }
  throw new PostgresDriverError('UNAVAILABLE', `append lost the race for its session ${MAX_ATTEMPTS} times; retry later`);
}

/** Runs one append statement: its row, or `undefined` when it wrote nothing. */
async function tryStatement(ctx: DriverContext, statement: ReturnType<typeof appendStatementFor>, params: AppendParams): Promise<AppendRow | undefined> {
  try {
    const [row] = await ctx.run(statement, params);
    return row;
  } catch (error) {
    // Another write with the same key committed while this one waited for the row lock: the
    // state read that follows finds its result.
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}
