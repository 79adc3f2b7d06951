import { sql } from 'kysely';
import { anyOf } from '../db/any-of.js';
import type { Db } from '../db/database.js';
import type { ScriptRow } from './script.table.js';
import type { ScriptSummaryRow } from './script.type.js';

const SUMMARY_COLUMNS = ['scripts.id', 'scripts.taskId', 'scripts.version', 'scripts.title', 'scripts.createdAt'] as const;

/** Scripts by id, only those of the viewer's tasks. A single script is read whole. */
export function findScriptsByIds(db: Db, viewerId: string, ids: readonly string[]): Promise<ScriptRow[]> {
  return db
    .selectFrom('scripts')
    .innerJoin('tasks', 'tasks.id', 'scripts.taskId')
    .selectAll('scripts')
    .where('scripts.id', '=', anyOf(ids))
    .where('tasks.userId', '=', viewerId)
    .execute();
}

export function findScriptContentsByIds(db: Db, viewerId: string, ids: readonly string[]): Promise<Pick<ScriptRow, 'id' | 'content'>[]> {
  return db
    .selectFrom('scripts')
    .innerJoin('tasks', 'tasks.id', 'scripts.taskId')
    .select(['scripts.id', 'scripts.content'])
    .where('scripts.id', '=', anyOf(ids))
    .where('tasks.userId', '=', viewerId)
    .execute();
}

/** Every script of the given tasks, newest (highest version) first within a task, without content. */
export function findScriptSummariesByTaskIds(db: Db, taskIds: readonly string[]): Promise<ScriptSummaryRow[]> {
  return db
    .selectFrom('scripts')
    .select(SUMMARY_COLUMNS)
    .where('scripts.taskId', '=', anyOf(taskIds))
    .orderBy('scripts.taskId')
    .orderBy('scripts.version', 'desc')
    .execute();
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
    ) as latest`.execute(db);
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
