import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RequireScope, Scope } from '../auth/scopes.js';
import { assertBatchSize, assertDistinct, validateBatch } from '../batch.js';
import type { Context } from '../context.js';
import { batchItemError } from '../errors.js';
import { connectionSelection } from '../execution/look-ahead.js';
import { JSONObject } from '../graphql-scalars.js';
import { CreateTaskInput, TaskListArgs, UpdateTaskStatusInput } from './task.inputs.js';
import { loadTaskConnection } from './task.connection.js';
import { RefusedChange, changeTaskStatuses, createTasks, createTasksIdempotently, deleteTask, toNewTask } from './task.service.js';
import { describeStatusRules, statusesThatMayBecome } from './task.status-rules.js';
import { Task, TaskConnection } from './task.type.js';
import { User } from '../users/user.type.js';
import { TaskStatus } from './task.table.js';
import type { StatusChange, TaskSummaryRow } from './task.repository.js';

@Resolver(() => Task)
export class TaskResolver {
  @Query(() => Task, { nullable: true, description: "One of the viewer's tasks; null for any other id (missing or another user's)." })
  task(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<TaskSummaryRow | null> {
    return ctx.loaders.taskById.load(id);
  }

  @Query(() => TaskConnection, { description: "The viewer's tasks, newest first unless ordered otherwise." })
  tasks(@Args(() => TaskListArgs, { validate: false }) args: TaskListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return loadTaskConnection(ctx, args, connectionSelection(info));
  }

  @FieldResolver(() => JSONObject, { description: 'Generation settings as the client gave them.' })
  async options(@Root() task: TaskSummaryRow, @Ctx() ctx: Context): Promise<Record<string, unknown>> {
    return ctx.responseBudget.chargeJson(task.options ?? (await ctx.loaders.taskOptionsById.load(task.id))?.options ?? {});
  }

  @Mutation(() => Task)
  async createTask(
    // Not through class-validator (~4 % of a createTask's CPU): its one rule, options
    // being an object, is the JSONObject scalar's own, and toNewTask checks the rest.
    @Arg('input', () => CreateTaskInput, { validate: false }) input: CreateTaskInput,
    @Ctx() ctx: Context,
  ): Promise<TaskSummaryRow> {
    const task = toNewTask(input);
    const written = async () => {
      const [row] = await createTasks(ctx.db, ctx.viewer.id, [task]);
      return { result: row!, changes: { tasks: { created: [row!] } } };
    };
    return ctx.writes.run(written, { taskIds: [task.id] });
  }

  @Mutation(() => [Task], {
    description:
      'Creates up to 500 tasks in one statement, all or none. A retry with the same idempotencyKey answers the first call, for 24 hours by default (IDEMPOTENCY_KEY_TTL_S); after that the key creates anew.',
  })
  async createTasks(
    @Arg('inputs', () => [CreateTaskInput], { validate: false }) inputs: CreateTaskInput[],
    @Arg('idempotencyKey', () => String, { nullable: true }) idempotencyKey: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<TaskSummaryRow[]> {
    // Not through class-validator either (~5 us an item), for createTask's reason: toNewTask checks each item.
    assertBatchSize(inputs, 'inputs');
    const tasks = inputs.map((input, index) => {
      try {
        return toNewTask(input);
      } catch (error) {
        throw batchItemError(index, error as never);
      }
    });
    const madeIds = tasks.map((task) => task.id);
    const written = async () => {
      const rows =
        idempotencyKey === undefined || idempotencyKey === null
          ? await createTasks(ctx.db, ctx.viewer.id, tasks)
          : await createTasksIdempotently(ctx.db, ctx.viewer.id, idempotencyKey, tasks, ctx.idempotencyKeyTtlSeconds);
      // A retry answers the first call's tasks: those were created then, not now.
      const made = new Set(madeIds);
      return { result: rows, changes: { tasks: { created: rows.filter((row) => made.has(row.id)) } } };
    };
    return ctx.writes.run(written, { taskIds: madeIds });
  }

  @Mutation(() => Task, { description: `${describeStatusRules()} Agent tokens only.` })
  @RequireScope(Scope.AGENT)
  async updateTaskStatus(@Arg('input', () => UpdateTaskStatusInput) input: UpdateTaskStatusInput, @Ctx() ctx: Context) {
    const [row] = await applyChanges(ctx, [toStatusChange(input)], false);
    return row!;
  }

  @Mutation(() => [Task], { description: 'Each item with its own values, in one statement; all or none. Agent tokens only.' })
  @RequireScope(Scope.AGENT)
  async updateTasksStatus(
    @Arg('inputs', () => [UpdateTaskStatusInput], { validate: false }) inputs: UpdateTaskStatusInput[],
    @Ctx() ctx: Context,
  ) {
    await validateBatch(inputs, 'inputs');
    assertDistinct(
      inputs.map((input) => input.id),
      'inputs',
    );
    return applyChanges(ctx, inputs.map(toStatusChange), true);
  }

  @Mutation(() => Task, { description: `Cancels a task that is ${statusesThatMayBecome('cancelled').map((s) => s.toUpperCase()).join(' or ')}.` })
  async cancelTask(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    const change: StatusChange = { id, status: TaskStatus.CANCELLED, progress: null, error: null };
    const [row] = await applyChanges(ctx, [change], false);
    return row!;
  }

  @Mutation(() => ID, { description: 'Deletes a task with its scripts, storyboards and resources; answers its id.' })
  async deleteTask(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return ctx.writes.run(async () => {
      await deleteTask(ctx.db, ctx.viewer.id, id);
      return { result: id, changes: { tasks: { deleted: [id] } } };
    });
  }
}

function toStatusChange(input: UpdateTaskStatusInput): StatusChange {
  return { id: input.id, status: input.status, progress: input.progress ?? null, error: input.error ?? null };
}

async function applyChanges(ctx: Context, changes: StatusChange[], batch: boolean): Promise<TaskSummaryRow[]> {
  try {
    const written = async () => {
      const rows = await changeTaskStatuses(ctx.db, ctx.viewer.id, changes);
      return { result: rows, changes: { tasks: { updated: rows } } };
    };
    return await ctx.writes.run(written, { taskIds: changes.map((change) => change.id) });
  } catch (error) {
    if (error instanceof RefusedChange) throw batch ? batchItemError(error.index, error.error) : error.error;
    throw error;
  }
}

@Resolver(() => User)
export class UserTasksResolver {
  @FieldResolver(() => TaskConnection, { description: 'The same list as Query.tasks.' })
  tasks(@Args(() => TaskListArgs, { validate: false }) args: TaskListArgs, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return loadTaskConnection(ctx, args, connectionSelection(info));
  }
}

export const taskResolvers = [TaskResolver, UserTasksResolver] as const;
