import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Distinct statement texts a process names, at most. Every shape the API sends
 * has fixed text (lists travel as one array parameter, src/db/any-of.ts), so the
 * real set is a few dozen; the cap only bounds what each PostgreSQL connection
 * keeps (a parsed statement and its cached plan, until the connection closes).
 * A text met after the cap runs unnamed, as every statement did before.
 */
export const MAX_NAMED_STATEMENTS = 256;

/**
 * Names statement texts: the same text gets the same name in every process (a
 * hash of the text, so pg_prepared_statements reads the same everywhere), and
 * only the first `max` distinct texts get one.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly max = MAX_NAMED_STATEMENTS) {}

  nameOf(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= this.max || !preparable(text)) return known;
    const name = `arya_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
    this.names.set(text, name);
    return name;
  }

  get size(): number {
    return this.names.size;
  }
}

/**
 * Lookups by a list of ids (`id = any($1)`, src/db/any-of.ts) stay unnamed. After
 * five runs PostgreSQL may switch a prepared statement to a generic plan, costed
 * without the parameters' values: it guesses 10 ids, and for `id = any($1) and
 * user_id = $2` it then ANDs a bitmap of all the viewer's tasks with the ids'
 * (measured: 2,000 index entries read for 20 ids, where the primary key alone
 * reads 20). Planned per execution, as before, they keep the primary key.
 */
function preparable(text: string): boolean {
  return !text.includes('= any(');
}

type QueryArgs = Parameters<pg.Client['query']>;

/**
 * A pg Client that prepares every parameterised statement once per connection:
 * Kysely sends `query(text, values)`, which pg runs as an unnamed statement that
 * PostgreSQL parses and plans on every execution; given a name, pg parses it once
 * per connection and later executions only bind and run it (PostgreSQL's plan
 * cache then decides, after five runs, whether a generic plan serves). Statements
 * without parameters (BEGIN, COMMIT, migrations' DDL, which may hold several
 * statements) keep pg's simple protocol. A new connection (pool recycling, a
 * PostgreSQL restart) starts with nothing prepared, and pg prepares again.
 */
export function preparingClient(names: StatementNames): typeof pg.Client {
  return class PreparingClient extends pg.Client {
    override query(...args: unknown[]): never {
      const [text, values, callback] = args;
      if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
        const name = names.nameOf(text);
        if (name !== undefined) args = [{ name, text, values }, callback];
      }
      return (super.query as (...a: unknown[]) => never)(...(args as QueryArgs));
    }
  };
}
