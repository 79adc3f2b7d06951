import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '../connection.type.js';
import { DateTime } from '../graphql-scalars.js';
import { TaskPriority, TaskStatus } from './task.table.js';

registerEnumType(TaskStatus, { name: 'TaskStatus' });
registerEnumType(TaskPriority, { name: 'TaskPriority' });

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
