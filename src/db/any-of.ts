import { sql, type RawBuilder } from 'kysely';

/**
 * `column = any($1::uuid[])`: one parameter for any number of ids, so a
 * batch's statement text is the same for 2 ids or 400 (one plan shape for
 * PostgreSQL, one entry in pg_stat_statements) where `in ($1, …, $400)` is not.
 *
 * One id, the commonest batch (a task by id: W1, W8), is `column = $1::uuid`
 * instead. That text is prepared once per connection (src/db/prepared-statements.ts
 * leaves `= any(` unprepared: its generic plan may leave the primary key), and
 * its generic plan is the primary key's: PostgreSQL then only binds and runs it.
 */
export function anyOf(ids: readonly string[]): RawBuilder<string> {
  return ids.length === 1 ? sql<string>`${ids[0]}::uuid` : sql<string>`any(${[...ids]}::uuid[])`;
}
