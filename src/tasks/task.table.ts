import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt, Json, UpdatedAt } from '../db/columns.js';

// The database's enum labels, lower case, under the names GraphQL gives them
// (task.type.ts registers these objects): one definition serves rows and schema.
export const TaskStatus = {
  PENDING: 'pending',
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
} as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

export const TaskPriority = {
  LOW: 'low',
  NORMAL: 'normal',
  HIGH: 'high',
  URGENT: 'urgent',
} as const;
export type TaskPriority = (typeof TaskPriority)[keyof typeof TaskPriority];

export interface TasksTable {
  id: Generated<string>;
  userId: string;
  topic: string;
  status: ColumnType<TaskStatus, TaskStatus | undefined, TaskStatus>;
  priority: ColumnType<TaskPriority, TaskPriority | undefined, TaskPriority>;
  progress: ColumnType<number, number | undefined, number>;
  options: Json;
  error: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** A batch client's retry of createTasks with the same key returns the first answer. */
export interface IdempotencyKeysTable {
  userId: string;
  key: string;
  requestHash: string;
  taskIds: ColumnType<string[], string[] | undefined, string[]>;
  createdAt: CreatedAt;
}

export type TaskRow = Selectable<TasksTable>;
export type NewTask = Insertable<TasksTable>;
