import type { Sql } from 'postgres';

/** A row as the store's statements return it: only text, numbers, booleans and nulls. */
export type Row = Record<string, unknown>;

/** Runs one parameterised statement and returns its rows. */
export interface SqlRunner {
  query<R extends Row = Row>(text: string, params: readonly unknown[]): Promise<R[]>;
}

/**
 * What the store needs from a PostgreSQL client, so one set of statements serves postgres.js
 * and PGlite alike. Every statement casts its parameters and results explicitly (numbers as
 * `float8`, JSON as `text`), so the client's type parsers never matter: a postgres.js client
 * wrapped by drizzle, whose parsers drizzle changed, works the same as a bare one.
 */
export interface SqlDriver extends SqlRunner {
  /** Runs `work` in one transaction (READ COMMITTED); commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Closes the client. Called only when the store owns it. */
  end(): Promise<void>;
}

/**
 * A {@link SqlDriver} over a postgres.js client. With `prepare` (the default) every statement
 * is a named prepared statement, parsed and planned once per connection.
 */
export function postgresJsDriver(sql: Sql, prepare = true): SqlDriver {
  const run =
    (client: Pick<Sql, 'unsafe'>) =>
    async <R extends Row = Row>(text: string, params: readonly unknown[]): Promise<R[]> =>
      // postgres.js types parameters strictly; ours are plain JS values cast in SQL.
      (await client.unsafe(text, params as never[], { prepare })) as unknown as R[];
  return {
    query: run(sql),
    transaction: async <T>(work: (tx: SqlRunner) => Promise<T>) =>
      (await sql.begin((tx) => work({ query: run(tx) }))) as T,
    end: () => sql.end({ timeout: 5 }),
  };
}

/** `true` when `value` looks like a postgres.js client (a tagged-template function with `unsafe` and `begin`). */
export function isPostgresJs(value: unknown): value is Sql {
  return (
    typeof value === 'function' &&
    typeof (value as Partial<Sql>).unsafe === 'function' &&
    typeof (value as Partial<Sql>).begin === 'function'
  );
}
