import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

const TABLES = ['users', 'tasks', 'idempotency_keys', 'scripts', 'storyboards', 'resources', 'conversations', 'messages'] as const;

/** Per table, its row count and a digest of every row: equal snapshots mean nothing was inserted, updated or deleted. */
export async function snapshotTables(db: Db): Promise<Record<string, string>> {
  const perTable = TABLES.map(
    (table) => sql<{ name: string; state: string }>`
      select ${table}::text as name,
             count(*) || ':' || md5(coalesce(string_agg(to_jsonb(t)::text, ',' order by to_jsonb(t)::text), '')) as state
      from ${sql.table(table)} as t`,
  );
  const { rows } = await sql<{ name: string; state: string }>`${sql.join(perTable, sql` union all `)}`.execute(db);
  return Object.fromEntries(rows.map((row) => [row.name, row.state]));
}
