import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../connection.type.js';
import { DateTime } from '../graphql-scalars.js';
import type { TaskRow } from './task.table.js';

// GraphQL names are UPPER_CASE, the database's enum labels lower case.
export enum TaskStatus {
  PENDING = 'pending',
  RUNNING = 'running',
  COMPLETED = 'completed',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
}
registerEnumType(TaskStatus, { name: 'TaskStatus' });

export enum TaskPriority {
  LOW = 'low',
  NORMAL = 'normal',
  HIGH = 'high',
  URGENT = 'urgent',
}
registerEnumType(TaskPriority, { name: 'TaskPriority' });

/** A task row as reads return it: list and by-id reads leave the large `options` out. */
export type TaskSummaryRow = Omit<TaskRow, 'options'> & Partial<Pick<TaskRow, 'options'>>;

@ObjectType({ description: 'A topic the agent turns into a video, with everything made for it.', simpleResolvers: true })
export class Task {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  topic!: string;

  @Field(() => TaskStatus)
  status!: TaskStatus;

  @Field(() => TaskPriority)
  priority!: TaskPriority;

  @Field(() => Float, { description: 'From 0 to 1.' })
  progress!: number;

  @Field(() => String, { nullable: true, description: 'Why the task failed, when it did.' })
  error!: string | null;

  @Field(() => DateTime)
  createdAt!: Date;

  @Field(() => DateTime)
  updatedAt!: Date;
}

@ObjectType()
export class TaskConnection extends ConnectionType(Task, 'Task') {}
