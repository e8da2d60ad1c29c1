import type { Row, SqlRunner } from './sql-client.js';
import { tableNames, type TableNames } from './tables.js';

/** Gives the placeholder (`$1`, `$2`...) of a named parameter; a name used twice gets the same one. */
export type Placeholder<P> = (name: keyof P & string) => string;

/**
 * One SQL statement with named, typed parameters: the text is written next to the parameter
 * object it reads, and the positional array PostgreSQL wants is built from that object here,
 * never by hand. `P` is the parameter object, `R` a result row.
 */
export interface Statement<P, R extends Row> {
  /** Builds the statement's text for one schema's tables. */
  build(t: TableNames, $: Placeholder<P>): string;
  /** Phantom field carrying the row type; never set. */
  readonly row?: R;
}

/** Declares a {@link Statement}. */
export function statement<P, R extends Row = Row>(build: (t: TableNames, $: Placeholder<P>) => string): Statement<P, R> {
  return { build };
}

interface Compiled {
  text: string;
  names: string[];
}

/**
 * The statements of one schema, compiled once each (so each text is constant and a prepared
 * statement is parsed once per connection), and run with their parameter objects.
 */
export class Statements {
  readonly tables: TableNames;
  private readonly compiled = new Map<Statement<never, Row>, Compiled>();

  constructor(schema: string) {
    this.tables = tableNames(schema);
  }

  /** Runs `statement` with `params` on `runner` (the client, or a transaction). */
  run<P, R extends Row>(runner: SqlRunner, statement: Statement<P, R>, params: P): Promise<R[]> {
    const { text, names } = this.compile(statement);
    const record = params as Record<string, unknown>;
    return runner.query<R>(
      text,
      names.map((name) => record[name] ?? null),
    );
  }

  /** The statement's text for this schema and its parameter names in placeholder order (for EXPLAIN in tests and tools). */
  compile<P, R extends Row>(statement: Statement<P, R>): { text: string; names: string[] } {
    const key = statement as Statement<never, Row>;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      const names: string[] = [];
      const placeholder = (name: string) => {
        let index = names.indexOf(name);
        if (index === -1) index = names.push(name) - 1;
        return `$${index + 1}`;
      };
      compiled = { text: statement.build(this.tables, placeholder), names };
      this.compiled.set(key, compiled);
    }
    return compiled;
  }
}
