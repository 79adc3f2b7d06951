import { sql, type Compilable } from 'kysely';
import { anyOf } from '../db/any-of.js';
import { snakeCaseOf, withoutCamelCase } from '../db/connect.js';
import type { Db } from '../db/database.js';
import { fixedStatement } from '../db/fixed-statement.js';
import { progressAfterSql, progressAllowedSql, transitionAllowedSql } from './task.status-rules.js';
import type { TaskPriority, TaskRow, TaskStatus } from './task.table.js';

/** A task row as reads return it: list and by-id reads leave the large `options` out. */
export type TaskSummaryRow = Omit<TaskRow, 'options'> & Partial<Pick<TaskRow, 'options'>>;

/** Everything but `options`, which can be large and is fetched only when asked for. */
const SUMMARY_COLUMNS = ['id', 'userId', 'topic', 'status', 'priority', 'progress', 'error', 'createdAt', 'updatedAt'] as const;

/** SUMMARY_COLUMNS selected under their field names, for statements sent without the CamelCasePlugin. */
const SUMMARY_SELECTIONS = SUMMARY_COLUMNS.map((field) => sql.ref(snakeCaseOf(field)).as(field));

/**
 * The busiest statement of all (every task read by id: W1, W8). Sent without
 * the CamelCasePlugin, its columns named as fields: renaming its identifiers
 * and then each row's keys cost ~6 % of a task-by-id request's CPU (perf, W1).
 * Still a SELECT built by the query builder, not raw text: kysely-replication
 * sends raw statements to the primary, and these reads belong on a replica.
 */
export async function findTasksByIds(db: Db, viewerId: string, ids: readonly string[]): Promise<TaskSummaryRow[]> {
  // One id, the commonest batch, has a text of its own (src/db/any-of.ts), compiled once.
  if (ids.length === 1) return findTaskByOneId(withoutCamelCase(db), viewerId, ids[0]!);
  const rows = await selectTaskSummaries(withoutCamelCase(db), viewerId, ids).execute();
  return rows as unknown as TaskSummaryRow[];
}

function selectTaskSummaries(db: Db, viewerId: string, ids: readonly string[]) {
  return db.selectFrom('tasks').select(SUMMARY_SELECTIONS).where(sql.ref('id'), '=', anyOf(ids)).where(sql.ref('user_id'), '=', viewerId);
}

const findTaskByOneId = fixedStatement(
  (db: Db, viewerId: string, id: string) => selectTaskSummaries(db, viewerId, [id]) as unknown as Compilable<TaskSummaryRow>,
  (viewerId, id) => [id, viewerId],
);

export function findTaskOptionsByIds(db: Db, viewerId: string, ids: readonly string[]): Promise<Pick<TaskRow, 'id' | 'options'>[]> {
  return db.selectFrom('tasks').select(['id', 'options']).where('id', '=', anyOf(ids)).where('userId', '=', viewerId).execute();
}

export interface TaskPageQuery {
  readonly status?: TaskStatus | undefined;
  readonly priority?: TaskPriority | undefined;
  readonly createdAfter?: Date | undefined;
  readonly createdBefore?: Date | undefined;
  readonly descending: boolean;
  /** The (created_at, id) of the row the page starts after. */
  readonly after?: { readonly createdAt: Date; readonly id: string } | undefined;
  readonly offset: number;
  /** Rows to fetch: the page size plus one, which only tells that a next page exists. */
  readonly limit: number;
}

/**
 * A page of the viewer's tasks in (created_at, id) order: a range scan of
 * idx_tasks_user_created_id (or idx_tasks_user_status_created_id with a status
 * filter) that stops after `limit` rows, however deep the cursor is.
 */
export function findTaskPage(db: Db, viewerId: string, query: TaskPageQuery): Promise<TaskSummaryRow[]> {
  const direction = query.descending ? 'desc' : 'asc';
  const page = pagePositions(db, viewerId, query);
  if (query.offset === 0) return page.select(SUMMARY_COLUMNS).execute();
  // A deferred join: the skipped rows are counted off in the index alone (an
  // index-only scan), and only the page's own rows are read from the table.
  // At offset 9,000 that is ~2 ms instead of ~20 ms on the bench data.
  return db
    .selectFrom(page.select(['id', 'createdAt']).as('page'))
    .innerJoin('tasks', 'tasks.id', 'page.id')
    .select(SUMMARY_COLUMNS.map((column) => `tasks.${column}` as const))
    .orderBy('page.createdAt', direction)
    .orderBy('page.id', direction)
    .execute();
}

/** The page's rows in order, filtered, skipped and limited, with nothing selected yet. */
function pagePositions(db: Db, viewerId: string, query: TaskPageQuery) {
  const direction = query.descending ? 'desc' : 'asc';
  let select = db.selectFrom('tasks').where('userId', '=', viewerId);
  if (query.status) select = select.where('status', '=', query.status);
  if (query.priority) select = select.where('priority', '=', query.priority);
  if (query.createdAfter) select = select.where('createdAt', '>=', query.createdAfter);
  if (query.createdBefore) select = select.where('createdAt', '<', query.createdBefore);
  if (query.after) {
    const { createdAt, id } = query.after;
    select = select.where((eb) => eb(eb.refTuple('createdAt', 'id'), query.descending ? '<' : '>', eb.tuple(createdAt, id)));
  }
  return select.orderBy('createdAt', direction).orderBy('id', direction).offset(query.offset).limit(query.limit);
}

export interface NewTaskValues {
  readonly id: string;
  readonly topic: string;
  readonly priority: TaskPriority;
  readonly options: Record<string, unknown>;
}

/** What the table fills in for a new task: the same for every row of one insert. */
export type FilledTaskColumns = Pick<TaskRow, 'status' | 'progress' | 'error' | 'createdAt' | 'updatedAt'>;

/**
 * Inserts any number of tasks in one statement, from one JSON parameter:
 * json_to_recordset reads the rows, and `options` arrive as JSON rather than
 * as text escaped into an array literal and parsed twice; the statement text
 * is the same for 1 row or 500. It answers one row, not 500: what the table
 * fills in (column defaults, and now(), the transaction's time) is the same
 * for every row of the statement. A data-modifying WITH always runs to
 * completion, whatever the outer select reads.
 */
export async function insertTasks(db: Db, userId: string, tasks: readonly NewTaskValues[]): Promise<FilledTaskColumns> {
  if (tasks.length === 1) return insertOneTask(db, userId, tasks[0]!);
  const rows = tasks.map(({ id, topic, priority, options }) => ({ id, topic, priority, options }));
  const { rows: filled } = await sql<FilledTaskColumns>`
    with inserted as (
      insert into tasks (id, user_id, topic, priority, options)
      select id, ${userId}::uuid, topic, priority, options
      from json_to_recordset(${JSON.stringify(rows)}::json) as input(id uuid, topic text, priority task_priority, options jsonb)
      returning status, progress, error, created_at, updated_at
    )
    select status, progress, error, created_at, updated_at from inserted limit 1`.execute(db);
  return filled[0]!;
}

/**
 * One task, the commonest insert (createTask: W5), as a plain VALUES row:
 * PostgreSQL skips json_to_recordset and the WITH (~30 µs of its ~350 µs per
 * insert, measured over 2,000), and the server skips writing the rows' JSON.
 */
async function insertOneTask(db: Db, userId: string, { id, topic, priority, options }: NewTaskValues): Promise<FilledTaskColumns> {
  const { rows: filled } = await sql<FilledTaskColumns>`
    insert into tasks (id, user_id, topic, priority, options)
    values (${id}::uuid, ${userId}::uuid, ${topic}, ${priority}::task_priority, ${JSON.stringify(options)}::jsonb)
    returning status, progress, error, created_at, updated_at`.execute(db);
  return filled[0]!;
}

export interface StatusChange {
  readonly id: string;
  readonly status: TaskStatus;
  readonly progress: number | null;
  readonly error: string | null;
}

/**
 * Applies each change with its own values in one UPDATE ... FROM unnest(...).
 * The status rules (task.status-rules.ts) sit in the WHERE clause, so concurrent
 * updates of one task are serialised by its row lock and re-checked against the
 * row they finally see: no interleaving can reach a state the rules forbid. Rows
 * the viewer does not own, or whose change is refused, are simply not returned.
 */
export function updateTaskStatuses(db: Db, viewerId: string, changes: readonly StatusChange[]): Promise<TaskSummaryRow[]> {
  const change = sql<StatusChange>`(select * from unnest(
      ${changes.map((c) => c.id)}::uuid[], ${changes.map((c) => c.status)}::task_status[],
      ${changes.map((c) => c.progress)}::float8[], ${changes.map((c) => c.error)}::text[]
    ) as u(id, status, progress, error))`.as('change');
  return db
    .updateTable('tasks as t')
    .from(change)
    .set({
      status: sql`change.status`,
      progress: progressAfterSql,
      error: sql`case when change.status = 'failed' then change.error else null end`,
      updatedAt: sql`now()`,
    })
    .whereRef('t.id', '=', 'change.id')
    .where('t.userId', '=', viewerId)
    .where(transitionAllowedSql)
    .where(progressAllowedSql)
    .returning(SUMMARY_COLUMNS.map((c) => `t.${c}` as const))
    .execute();
}

/** The current status of the viewer's tasks among `ids`, to explain a refused update. */
export function findTaskStatuses(db: Db, viewerId: string, ids: readonly string[]) {
  return db.selectFrom('tasks').select(['id', 'status', 'progress']).where('id', '=', anyOf(ids)).where('userId', '=', viewerId).execute();
}

export async function deleteTask(db: Db, viewerId: string, id: string): Promise<boolean> {
  const row = await db.deleteFrom('tasks').where('id', '=', id).where('userId', '=', viewerId).returning('id').executeTakeFirst();
  return row !== undefined;
}

/**
 * Up to `limit` users, most recently active first (by their latest task
 * update): the users whose next request is likeliest, for cache:warm. Across
 * users by design: an operator's tool, never reachable from a request.
 */
export async function findRecentlyActiveUserIds(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('tasks')
    .select('userId')
    .select((eb) => eb.fn.max('updatedAt').as('lastActiveAt'))
    .groupBy('userId')
    .orderBy('lastActiveAt', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.userId);
}
