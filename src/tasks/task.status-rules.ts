import { sql, type RawBuilder } from 'kysely';
import { TaskStatus } from './task.table.js';

/** What an update into a status does to the task's progress. */
type ProgressOnEntry = 'given or kept, never lower' | 'set to 1';

interface StatusRule {
  /** The statuses an update may move a task in this status to; none for a final status. */
  readonly next: readonly TaskStatus[];
  readonly progressOnEntry: ProgressOnEntry;
}

/**
 * The task state machine: the README's "Task status rules" table, and the one
 * table in code. The conditional UPDATE's WHERE is built from it (SQL below),
 * and a refused change is explained by it (refusalOf), so the rules cannot
 * drift between what is enforced and what is said.
 */
export const TASK_STATUS_RULES: Readonly<Record<TaskStatus, StatusRule>> = {
  // FAILED straight from PENDING: a worker that cannot start a task (invalid
  // options, no credits) must say why, without claiming it ran. Nothing goes
  // back to PENDING, and PENDING -> PENDING would change nothing.
  pending: { next: ['running', 'failed', 'cancelled'], progressOnEntry: 'given or kept, never lower' },
  // RUNNING -> RUNNING is a progress report.
  running: { next: ['running', 'completed', 'failed', 'cancelled'], progressOnEntry: 'given or kept, never lower' },
  completed: { next: [], progressOnEntry: 'set to 1' },
  // A failed or cancelled task keeps how far it got (or a higher value reported with the change).
  failed: { next: [], progressOnEntry: 'given or kept, never lower' },
  cancelled: { next: [], progressOnEntry: 'given or kept, never lower' },
};

export type RefusalReason = 'TRANSITION' | 'PROGRESS';

/** Which rule refuses moving a task in `current` to `change`; undefined when both allow it. */
export function refusalOf(
  current: { readonly status: TaskStatus; readonly progress: number },
  change: { readonly status: TaskStatus; readonly progress: number | null },
): RefusalReason | undefined {
  if (!TASK_STATUS_RULES[current.status].next.includes(change.status)) return 'TRANSITION';
  const after = progressAfter(change.status, change.progress, current.progress);
  if ((change.progress !== null && change.progress !== after) || after < current.progress) return 'PROGRESS';
  return undefined;
}

/** The progress a change into `status` leaves: 1 for COMPLETED, else the given value or the current one. */
export function progressAfter(status: TaskStatus, given: number | null, current: number): number {
  return TASK_STATUS_RULES[status].progressOnEntry === 'set to 1' ? 1 : (given ?? current);
}

// The same rules in SQL, over a row `t` (the task as locked) and a row `change` (status, progress).

const statusesWhere = (test: (rule: StatusRule) => boolean) =>
  Object.values(TaskStatus).filter((status) => test(TASK_STATUS_RULES[status]));

const TRANSITION_PAIRS = sql.join(
  Object.values(TaskStatus).flatMap((from) =>
    TASK_STATUS_RULES[from].next.map((to) => sql`(${sql.lit(from)}, ${sql.lit(to)})`),
  ),
);

const SET_TO_ONE = sql.join(statusesWhere((rule) => rule.progressOnEntry === 'set to 1').map((status) => sql.lit(status)));

/** progressAfter in SQL. */
export const progressAfterSql: RawBuilder<number> = sql<number>`(case when change.status::text in (${SET_TO_ONE}) then 1::float8 else coalesce(change.progress, t.progress) end)`;

/** The transition rule: (t.status, change.status) is a pair of the table. */
export const transitionAllowedSql: RawBuilder<boolean> = sql<boolean>`((t.status::text, change.status::text) in (${TRANSITION_PAIRS}))`;

/** The progress rule: a given progress is the one the change leaves, and it is not lower than the current one. */
export const progressAllowedSql: RawBuilder<boolean> = sql<boolean>`((change.progress is null or change.progress = ${progressAfterSql}) and ${progressAfterSql} >= t.progress)`;

/** The statuses from which a task may move to `to`. */
export const statusesThatMayBecome = (to: TaskStatus): TaskStatus[] => statusesWhere((rule) => rule.next.includes(to));

const upper = (statuses: readonly TaskStatus[]) => statuses.map((status) => status.toUpperCase());
const listed = (words: readonly string[], conjunction: 'or' | 'and') =>
  words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} ${conjunction} ${words.at(-1)}`;

/** The table in words, for the schema's descriptions. */
export function describeStatusRules(): string {
  const moves = statusesWhere((rule) => rule.next.length > 0).map(
    (from) => `${from.toUpperCase()} -> ${listed(upper(TASK_STATUS_RULES[from].next), 'or')}`,
  );
  const final = upper(statusesWhere((rule) => rule.next.length === 0));
  const toOne = upper(statusesWhere((rule) => rule.progressOnEntry === 'set to 1'));
  return `${moves.join('; ')}; ${listed(final, 'and')} are final. Progress never goes down; ${listed(toOne, 'and')} sets it to 1.`;
}
