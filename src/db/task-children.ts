import type { Selectable } from 'kysely';
import { anyOf } from './any-of.js';
import type { Database, Db } from './database.js';

/** The tables whose rows hang under a task, and are the viewer's through it. */
export type TaskChildTable = 'scripts' | 'storyboards' | 'resources';

/**
 * Rows of a task's child table by id, only those under the viewer's tasks:
 * the viewer's scope is in the statement (a join to tasks), never a filter
 * applied afterwards. Another user's id answers nothing, like a missing one.
 */
export function findTaskChildrenByIds<T extends TaskChildTable>(
  db: Db,
  table: T,
  viewerId: string,
  ids: readonly string[],
): Promise<Selectable<Database[T]>[]> {
  const child: TaskChildTable = table;
  const rows = db
    .selectFrom(child)
    .innerJoin('tasks', 'tasks.id', `${child}.taskId`)
    .selectAll(child)
    .where(`${child}.id`, '=', anyOf(ids))
    .where('tasks.userId', '=', viewerId)
    .execute();
  // Kysely types selectAll over a union of tables as their common columns; the statement reads all of `table`'s.
  return rows as Promise<Selectable<Database[T]>[]>;
}
