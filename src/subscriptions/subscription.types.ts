import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Task } from '../tasks/task.type.js';

export const TaskChangeKind = { CREATED: 'created', UPDATED: 'updated', DELETED: 'deleted' } as const;
registerEnumType(TaskChangeKind, { name: 'TaskChangeKind' });

@ObjectType({ description: "A change to one of the viewer's tasks, as viewerTasksChanged sends it.", simpleResolvers: true })
export class TaskChange {
  @Field(() => TaskChangeKind)
  kind!: (typeof TaskChangeKind)[keyof typeof TaskChangeKind];

  @Field(() => ID)
  taskId!: string;

  @Field(() => String, { description: 'The version of the task this change made: pass the last one seen as `since` when resubscribing.' })
  version!: string;

  @Field(() => Task, { nullable: true, description: 'The task after the change; null once deleted.' })
  task!: Task | null;
}
