import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RequireScope, Scope } from '../auth/scopes.js';
import { validateBatch } from '../batch.js';
import type { Context } from '../context.js';
import { badInput, batchItemError, notFound } from '../errors.js';
import { MAX_PAGE_SIZE, pageSize } from '../pagination.js';
import type { TaskSummaryRow } from '../tasks/task.repository.js';
import { Task } from '../tasks/task.type.js';
import { describeUrlProblem, urlProblem, type UrlPolicyConfig } from '../url-policy.js';
import { AddResourceInput } from './resource.inputs.js';
import { insertResources, type Resource as ResourceRow } from './resource.repository.js';
import { ResourceKind } from './resource.table.js';
import { Resource } from './resource.type.js';

@Resolver(() => Resource)
export class ResourceResolver {
  @Query(() => Resource, { nullable: true, description: "A resource of one of the viewer's tasks; null for any other id (missing or another user's)." })
  resource(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ResourceRow | null> {
    return ctx.loaders.resourceById.load(id);
  }

  @FieldResolver(() => Task)
  async task(@Root() resource: ResourceRow, @Ctx() ctx: Context): Promise<TaskSummaryRow> {
    return (await ctx.loaders.taskById.load(resource.taskId)) ?? Promise.reject(notFound('Task', resource.taskId));
  }

  @Mutation(() => [Resource], { description: 'Adds up to 500 resources to a task in one statement, all or none, in input order. Agent tokens only.' })
  @RequireScope(Scope.AGENT)
  async addResources(
    @Arg('taskId', () => ID) taskId: string,
    @Arg('inputs', () => [AddResourceInput], { validate: false }) inputs: AddResourceInput[],
    @Ctx() ctx: Context,
  ): Promise<ResourceRow[]> {
    await validateBatch(inputs, 'inputs');
    assertStorableUrls(inputs, ctx.resourceUrls);
    return ctx.writes.run(async () => {
      const rows = await insertResources(ctx.db, ctx.viewer.id, taskId, inputs);
      if (rows.length === 0) throw notFound('Task', taskId);
      return { result: rows, changes: { resources: { added: rows } } };
    });
  }
}

/** Whatever fetches a resource later follows its URL: BAD_USER_INPUT naming the first item whose URL the policy refuses. */
function assertStorableUrls(inputs: readonly AddResourceInput[], policy: UrlPolicyConfig): void {
  for (const [index, { url }] of inputs.entries()) {
    const problem = urlProblem(url, policy);
    if (problem) throw batchItemError(index, badInput(`url ${describeUrlProblem(problem)}`, { argument: 'inputs', field: 'url', reason: problem }));
  }
}

/** An image and a video for each of 50 storyboards: a whole task, as the benchmark's (8 storyboards) and most are. */
const RESOURCES_DEFAULT_FIRST = 100;

@Resolver(() => Task)
export class TaskResourcesResolver {
  @FieldResolver(() => [Resource], { description: 'Oldest first; all kinds unless one is given.' })
  resources(
    @Root() task: TaskSummaryRow,
    @Arg('kind', () => ResourceKind, { nullable: true }) kind: ResourceKind | undefined,
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: RESOURCES_DEFAULT_FIRST,
      description: `How many, from 0 to ${MAX_PAGE_SIZE}.`,
    })
    first: number | null,
    @Ctx() ctx: Context,
  ): Promise<ResourceRow[]> {
    const limit = pageSize(first, 'first', RESOURCES_DEFAULT_FIRST);
    return ctx.loaders.resourcePageByTask.load({ parentId: task.id, limit, descending: false, kind: kind ?? undefined });
  }
}

export const resourceResolvers = [ResourceResolver, TaskResourcesResolver] as const;
