import type { PGliteInterface } from '@electric-sql/pglite';
import type { Sql } from 'postgres';
import { CallBounds, DEFAULT_CALL_TIMEOUT_MS } from './call-bounds.js';
import { PostgresDriverError } from './errors.js';

/** A row as the driver's statements return it: only text, numbers, booleans and nulls. */
export type Row = Record<string, unknown>;

/** Runs one parameterised statement and returns its rows. */
export interface SqlRunner {
  query<R extends Row = Row>(text: string, params: readonly unknown[]): Promise<R[]>;
}

/**
 * What the driver needs from a PostgreSQL client, so one set of statements serves postgres.js
 * and PGlite alike. Every statement casts its parameters and results explicitly (numbers as
 * `float8`, JSON as `text`), so the client's type parsers never matter: a postgres.js client
 * wrapped by drizzle, whose parsers drizzle changed, works the same as a bare one. No statement
 * takes an array parameter (batches travel as one JSON text), so postgres.js never needs to
 * fetch array types.
 */
export interface SqlClient extends SqlRunner {
  /** Runs `work` in one transaction (READ COMMITTED); commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Closes the client (called only when the store owns it). */
  end(): Promise<void>;
  /**
   * `LISTEN`s on `channel` (a name of at most 63 printable ASCII bytes without quotes) and calls
   * `onNotify` with each payload. Resolves once listening, to a function that stops;
   * rejects when the `LISTEN` fails. `onRelisten` is called when a lost listening connection has
   * been replaced (notifications sent meanwhile are lost).
   */
  listen(channel: string, onNotify: (payload: string) => void, onRelisten: () => void): Promise<() => Promise<void>>;
}

/**
 * A {@link SqlClient} over a postgres.js client. With `prepare` (the default) every statement
 * is a named prepared statement, parsed and planned once per connection. Every statement and
 * every transaction goes through {@link CallBounds}: no more at once than the pool has
 * connections, each ending within `callTimeoutMs` (see `call-bounds.ts` for why).
 *
 * `renew` (given for a pool the store owns) opens a fresh pool. A statement past its deadline
 * is the sign of a pool postgres.js may never recover (connections left "connecting" forever
 * after a cut, porsager/postgres#970): the next calls then go to a new pool, and the old one
 * is ended, which fails whatever it still holds. The first pool stays open until `end()`: it
 * holds the LISTEN connection of `listen`, which reconnects on its own.
 */
export function postgresJsClient(sql: Sql, prepare = true, callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS, renew?: () => Sql): SqlClient {
  const bounds = new CallBounds(poolSize(sql), callTimeoutMs);
  let current = sql;
  let ended = false;
  const retire = (stuck: Sql) => {
    if (!renew || ended || stuck !== current) return; // already replaced by another late call
    current = renew();
    if (stuck !== sql) void stuck.end({ timeout: 0 }).catch(() => undefined);
  };
  const run =
    (client: Pick<Sql, 'unsafe'>, expired: () => boolean = () => false) =>
    async <R extends Row = Row>(text: string, params: readonly unknown[]): Promise<R[]> => {
      // A transaction past its deadline sends nothing more: it throws, so postgres.js rolls it back.
      if (expired()) throw new PostgresDriverError('UNAVAILABLE', 'the transaction passed its deadline (callTimeoutMs) and was rolled back');
      // The rows are plain objects; postgres.js types them as its RowList of its own Row type.
      return (await client.unsafe(text, params as never[], { prepare })) as unknown as R[];
    };
  return {
    query: <R extends Row = Row>(text: string, params: readonly unknown[]) =>
      bounds.run(() => {
        const pool = current;
        const pending = pool.unsafe(text, params as never[], { prepare });
        return {
          // The rows are plain objects; postgres.js types them as its RowList of its own Row type.
          done: pending.then((rows) => rows as unknown as R[]),
          cancel: () => {
            // Takes a statement still queued out of postgres.js's queue (it would otherwise sit
            // there, or run whenever a connection frees up). Only a queued one: postgres.js sets
            // `state` (null until then) once a connection took the statement, and its cancel
            // of a sent statement opens a connection whose failure it leaves unhandled.
            if ((pending as { state?: unknown }).state === null) pending.cancel();
            retire(pool);
          },
        };
      }),
    transaction: <T>(work: (tx: SqlRunner) => Promise<T>) =>
      bounds.run((expired) => {
        const pool = current;
        return { done: pool.begin((tx) => work({ query: run(tx, expired) })) as Promise<T>, cancel: () => retire(pool) };
      }),
    end: async () => {
      ended = true;
      await Promise.all([sql.end({ timeout: 5 }), current === sql ? undefined : current.end({ timeout: 5 })]);
    },
    async listen(channel, onNotify, onRelisten) {
      // postgres.js keeps one listening connection per client, shared by every channel, and
      // re-runs LISTEN on a new connection when it drops; `onlisten` runs after each LISTEN,
      // the first included.
      let listened = false;
      const { unlisten } = await sql.listen(channel, onNotify, () => {
        if (listened) onRelisten();
        listened = true;
      });
      return async () => {
        await unlisten();
      };
    },
  };
}

/** A {@link SqlClient} over PGlite (embedded PostgreSQL): one statement at a time, calls queue. */
export function pgliteClient(pg: PGliteInterface, release: () => Promise<void>): SqlClient {
  const run =
    (client: Pick<PGliteInterface, 'query'>) =>
    async <R extends Row = Row>(text: string, params: readonly unknown[]): Promise<R[]> =>
      (await client.query<R>(text, params as unknown[])).rows;
  return {
    query: run(pg),
    transaction: <T>(work: (tx: SqlRunner) => Promise<T>) => pg.transaction((tx) => work({ query: run(tx) })),
    end: release,
    async listen(channel, onNotify) {
      // PGlite sends LISTEN as written: quoted, so the name keeps its case. It runs in this
      // process, so the listening "connection" is never lost.
      const stop = await pg.listen(`"${channel}"`, onNotify);
      return () => stop();
    },
  };
}

/** `true` when `value` looks like a postgres.js client (a tagged-template function with `unsafe` and `begin`). */
export function isPostgresJs(value: unknown): value is Sql {
  return typeof value === 'function' && typeof (value as Partial<Sql>).unsafe === 'function' && typeof (value as Partial<Sql>).begin === 'function';
}

/** `true` when `value` looks like a PGlite instance. */
export function isPGlite(value: unknown): value is PGliteInterface {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<PGliteInterface>).query === 'function' &&
    typeof (value as Partial<PGliteInterface>).transaction === 'function' &&
    'waitReady' in value
  );
}

/** How many connections a postgres.js client's pool may open (its `max`, 10 when unknown). */
function poolSize(sql: Sql): number {
  const max = (sql as Partial<Pick<Sql, 'options'>>).options?.max;
  return typeof max === 'number' && max >= 1 ? max : 10;
}
