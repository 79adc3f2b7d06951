import { sql, type RawBuilder } from 'kysely';

/**
 * `column = any($1::uuid[])`: one parameter for any number of ids, so a
 * batch's statement text is the same for 2 ids or 400 (one plan shape for
 * PostgreSQL, one entry in pg_stat_statements) where `in ($1, …, $400)` is not.
 */
export function anyOf(ids: readonly string[]): RawBuilder<string> {
  return sql<string>`any(${[...ids]}::uuid[])`;
}
