import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { validateBatch } from '../batch.js';
import type { Context } from '../context.js';
import { notFound } from '../errors.js';
import { assertUuid } from '../loader-utils.js';
import { taskFences } from '../tasks/task.cache.js';
import { Task, type TaskSummaryRow } from '../tasks/task.type.js';
import { AddResourceInput } from './resource.inputs.js';
import { insertResources, type Resource as ResourceRow } from './resource.repository.js';
import { Resource, ResourceKind } from './resource.type.js';

@Resolver(() => Resource)
export class ResourceResolver {
  @Query(() => Resource, { nullable: true, description: "A resource of one of the viewer's tasks; NOT_FOUND otherwise." })
  async resource(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ResourceRow> {
    return (await ctx.loaders.resourceById.load(id)) ?? Promise.reject(notFound('Resource', id));
  }

  @FieldResolver(() => Task)
  async task(@Root() resource: ResourceRow, @Ctx() ctx: Context): Promise<TaskSummaryRow> {
    return (await ctx.loaders.taskById.load(resource.taskId)) ?? Promise.reject(notFound('Task', resource.taskId));
  }

  @Mutation(() => [Resource], { description: 'Adds up to 500 resources to a task in one statement, all or none, in input order.' })
  async addResources(
    @Arg('taskId', () => ID) taskId: string,
    @Arg('inputs', () => [AddResourceInput], { validate: false }) inputs: AddResourceInput[],
    @Ctx() ctx: Context,
  ): Promise<ResourceRow[]> {
    assertUuid(taskId, 'taskId');
    await validateBatch(inputs, 'inputs');
    const rows = await insertResources(ctx.db, ctx.viewer.id, taskId, inputs);
    if (rows.length === 0) throw notFound('Task', taskId);
    await ctx.invalidate([taskFences.content(rows[0]!.taskId)]);
    for (const row of rows) ctx.loaders.resourceById.prime(row.id, row);
    ctx.loaders.resourcesByTask.clearAll();
    return rows;
  }
}

@Resolver(() => Task)
export class TaskResourcesResolver {
  @FieldResolver(() => [Resource], { description: 'Oldest first; all kinds unless one is given.' })
  resources(
    @Root() task: TaskSummaryRow,
    @Arg('kind', () => ResourceKind, { nullable: true }) kind: ResourceKind | undefined,
    @Ctx() ctx: Context,
  ): Promise<ResourceRow[]> {
    return ctx.loaders.resourcesByTask.load({ taskId: task.id, kind: kind ?? undefined });
  }
}

export const resourceResolvers = [ResourceResolver, TaskResourcesResolver] as const;
