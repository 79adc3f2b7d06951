import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { markedAsReads } from '../db/replicas/read-mark.js';
import { findTaskChildrenByIds } from '../db/task-children.js';
import { findPagesPerParent, type PerParentPageKey } from '../db/per-parent-pages.js';
import type { ScriptRow } from './script.table.js';

/** A script row as lists return it: without `content`, the large column, unless it was read. */
export type ScriptSummaryRow = Omit<ScriptRow, 'content'> & Partial<Pick<ScriptRow, 'content'>>;

const PAGE_COLUMNS = ['id', 'task_id', 'version', 'title', 'created_at'];

/** Scripts by id, only those of the viewer's tasks. A single script is read whole. */
export function findScriptsByIds(db: Db, viewerId: string, ids: readonly string[]): Promise<ScriptRow[]> {
  return findTaskChildrenByIds(db, 'scripts', viewerId, ids);
}

/**
 * The contents of scripts by id, at most `maxBytes` of them in all: a content
 * past that running total comes back null (PostgreSQL measures a stored text
 * without decompressing it), so a thousand one-megabyte scripts never reach
 * the process when the response could not carry them anyway.
 */
export async function findScriptContentsByIds(
  db: Db,
  viewerId: string,
  ids: readonly string[],
  maxBytes: number,
): Promise<{ id: string; content: string | null }[]> {
  const result = await sql<{ id: string; content: string | null }>`
    select id, case when sum(bytes) over (order by id) <= ${Math.min(maxBytes, Number.MAX_SAFE_INTEGER)} then content end as content
    from (
      select scripts.id, scripts.content, octet_length(scripts.content) as bytes
      from scripts join tasks on tasks.id = scripts.task_id
      where scripts.id = any(${[...ids]}::uuid[]) and tasks.user_id = ${viewerId}
    ) as found`.execute(markedAsReads(db));
  return result.rows;
}

/**
 * The newest N scripts (highest versions) of each task, without content, for
 * every task in one statement: each key carries its own limit, so a task with
 * a thousand versions costs no more than its page.
 */
export function findScriptPages(db: Db, keys: readonly PerParentPageKey[]): Promise<ScriptSummaryRow[][]> {
  return findPagesPerParent<ScriptSummaryRow>(
    db,
    { table: 'scripts', parentColumn: 'task_id', columns: PAGE_COLUMNS, sortColumn: 'version', sortType: 'integer' },
    keys,
  );
}

/**
 * The newest script of each task: one LATERAL probe per task of the unique
 * (task_id, version) index, read backwards, which needs no sort: versions
 * only grow, so the highest is the newest.
 */
export async function findLatestScriptsByTaskIds(db: Db, taskIds: readonly string[]): Promise<ScriptSummaryRow[]> {
  const result = await sql<ScriptSummaryRow>`
    select latest.id, latest.task_id, latest.version, latest.title, latest.created_at
    from unnest(${[...taskIds]}::uuid[]) as k(task_id)
    cross join lateral (
      select id, task_id, version, title, created_at from scripts
      where scripts.task_id = k.task_id
      order by version desc
      limit 1
    ) as latest`.execute(markedAsReads(db));
  return result.rows;
}

export interface NewScript {
  readonly taskId: string;
  readonly title: string;
  readonly content: string;
}

/**
 * Adds the next version of a task's script, if the task is the viewer's
 * (no row: NOT_FOUND). Two concurrent adds to one task compute the same
 * version; the unique (task_id, version) constraint turns the loser into CONFLICT.
 */
export async function insertScript(db: Db, viewerId: string, script: NewScript): Promise<ScriptRow | undefined> {
  const result = await sql<ScriptRow>`
    insert into scripts (task_id, version, title, content)
    select t.id, coalesce((select max(version) from scripts where task_id = t.id), 0) + 1, ${script.title}, ${script.content}
    from tasks t
    where t.id = ${script.taskId} and t.user_id = ${viewerId}
    returning *`.execute(db);
  return result.rows[0];
}
