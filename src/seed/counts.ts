import { sql } from 'kysely';
import type { Db } from '../db/database.js';

export const SEEDED_TABLES = ['users', 'tasks', 'scripts', 'storyboards', 'resources', 'conversations', 'messages'] as const;
export type SeededTable = (typeof SEEDED_TABLES)[number];
export type RowCounts = Record<SeededTable, number>;

/** Rows in every seeded table, in one statement. */
export async function countRows(db: Db): Promise<RowCounts> {
  const columns = SEEDED_TABLES.map((table) => sql`(select count(*) from ${sql.id(table)}) as ${sql.id(table)}`);
  const { rows } = await sql<Record<SeededTable, string | number>>`select ${sql.join(columns)}`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('select without from returned no row');
  // count(*) is a bigint: a string from pg, a number from PGlite.
  return Object.fromEntries(SEEDED_TABLES.map((table) => [table, Number(row[table])])) as RowCounts;
}
