import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CreatedAt, Json, UpdatedAt } from '../db/columns.js';

export type TaskStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
export type TaskPriority = 'low' | 'normal' | 'high' | 'urgent';

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
