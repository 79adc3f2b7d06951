import { IsObject, IsOptional, Length, Max, Min } from 'class-validator';
import { ArgsType, Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { DateTime, JSONObject } from '../graphql-scalars.js';
import { TaskPriority, TaskStatus } from './task.table.js';

export const TOPIC_MAX_LENGTH = 500;
export const ERROR_MAX_LENGTH = 10_000;
/** tasks.options is a client's settings, ~1 KB typically; 64 KB is far beyond any real one. */
export const OPTIONS_MAX_BYTES = 64 * 1024;

export enum TaskOrder {
  CREATED_AT_DESC = 'created_at_desc',
  CREATED_AT_ASC = 'created_at_asc',
}
registerEnumType(TaskOrder, { name: 'TaskOrder', description: 'Newest first by default.' });

@InputType({ description: 'All given conditions must hold.' })
export class TaskFilter {
  @Field(() => TaskStatus, { nullable: true })
  status?: TaskStatus;

  @Field(() => TaskPriority, { nullable: true })
  priority?: TaskPriority;

  @Field(() => DateTime, { nullable: true, description: 'Created at or after this instant.' })
  createdAfter?: Date;

  @Field(() => DateTime, { nullable: true, description: 'Created before this instant.' })
  createdBefore?: Date;
}

@InputType()
export class CreateTaskInput {
  // Checked by toNewTask after trimming, in code points as the database counts them.
  @Field(() => String, { description: `1 to ${TOPIC_MAX_LENGTH} characters after trimming.` })
  topic!: string;

  @Field(() => TaskPriority, { nullable: true, defaultValue: TaskPriority.NORMAL })
  priority?: TaskPriority;

  @Field(() => JSONObject, { nullable: true, description: 'Generation settings, stored as given: at most 64 KB of JSON.' })
  @IsOptional()
  @IsObject()
  options?: Record<string, unknown>;
}

@InputType()
export class UpdateTaskStatusInput {
  @Field(() => ID)
  id!: string;

  @Field(() => TaskStatus)
  status!: TaskStatus;

  @Field(() => Float, { nullable: true, description: 'From 0 to 1; unchanged when omitted.' })
  @IsOptional()
  @Min(0)
  @Max(1)
  progress?: number;

  @Field(() => String, { nullable: true, description: 'Why the task failed; kept only with FAILED.' })
  @IsOptional()
  @Length(1, ERROR_MAX_LENGTH)
  error?: string;
}

@ArgsType()
export class TaskListArgs {
  @Field(() => TaskFilter, { nullable: true })
  filter?: TaskFilter;

  @Field(() => TaskOrder, { nullable: true, defaultValue: TaskOrder.CREATED_AT_DESC })
  orderBy?: TaskOrder;

  @Field(() => Int, { nullable: true, description: 'Page size, from 0 to 100 (default 20).' })
  first?: number;

  @Field(() => String, { nullable: true, description: 'A cursor from a previous page: the page starts after it.' })
  after?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Rows to skip, at most 10,000. Prefer `after`: a cursor page costs the same at any depth.',
  })
  offset?: number;
}
