import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RequireScope, Scope } from '../auth/scopes.js';
import { validateBatch } from '../batch.js';
import type { Context } from '../context.js';
import { badInput, notFound } from '../errors.js';
import { connectionSelection } from '../execution/look-ahead.js';
import type { Connection } from '../pagination.js';
import { Resource } from '../resources/resource.type.js';
import type { TaskSummaryRow } from '../tasks/task.repository.js';
import { Task } from '../tasks/task.type.js';
import { loadStoryboardConnection } from './storyboard.connection.js';
import { storyboardProjection } from './storyboard.projection.js';
import { AddStoryboardInput, SetStoryboardMediaInput } from './storyboard.inputs.js';
import { insertStoryboards, type StoryboardWithMedia, updateStoryboardMedia } from './storyboard.repository.js';
import type { StoryboardRow } from './storyboard.table.js';
import { Storyboard, StoryboardConnection } from './storyboard.type.js';

@Resolver(() => Storyboard)
export class StoryboardResolver {
  @Query(() => Storyboard, { nullable: true, description: "A storyboard of one of the viewer's tasks; null for any other id (missing or another user's)." })
  storyboard(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<StoryboardRow | null> {
    return ctx.loaders.storyboardById.load(id);
  }

  @FieldResolver(() => Task)
  async task(@Root() storyboard: StoryboardRow, @Ctx() ctx: Context): Promise<TaskSummaryRow> {
    return (await ctx.loaders.taskById.load(storyboard.taskId)) ?? Promise.reject(notFound('Task', storyboard.taskId));
  }

  // A page of storyboards comes with its media; a storyboard read by id loads them.
  @FieldResolver(() => Resource, { nullable: true })
  firstFrameImage(@Root() storyboard: StoryboardRow & Partial<StoryboardWithMedia>, @Ctx() ctx: Context) {
    if (storyboard.firstFrameImage !== undefined) return storyboard.firstFrameImage;
    return storyboard.firstFrameImageId === null ? null : ctx.loaders.resourceById.load(storyboard.firstFrameImageId);
  }

  @FieldResolver(() => Resource, { nullable: true })
  video(@Root() storyboard: StoryboardRow & Partial<StoryboardWithMedia>, @Ctx() ctx: Context) {
    if (storyboard.video !== undefined) return storyboard.video;
    return storyboard.videoId === null ? null : ctx.loaders.resourceById.load(storyboard.videoId);
  }

  @Mutation(() => [Storyboard], { description: 'Adds up to 500 storyboards to a task in one statement, all or none, in input order. Agent tokens only.' })
  @RequireScope(Scope.AGENT)
  async addStoryboards(
    @Arg('taskId', () => ID) taskId: string,
    @Arg('inputs', () => [AddStoryboardInput], { validate: false }) inputs: AddStoryboardInput[],
    @Ctx() ctx: Context,
  ): Promise<StoryboardRow[]> {
    await validateBatch(inputs, 'inputs');
    return ctx.writes.run(async () => {
      const rows = await insertStoryboards(ctx.db, ctx.viewer.id, taskId, inputs);
      if (rows.length === 0) throw notFound('Task', taskId);
      return { result: rows, changes: { storyboards: { added: rows } } };
    });
  }

  @Mutation(() => Storyboard, { description: "Sets (or, with null, removes) a storyboard's first-frame image and video. Agent tokens only." })
  @RequireScope(Scope.AGENT)
  async setStoryboardMedia(@Arg('input', () => SetStoryboardMediaInput) input: SetStoryboardMediaInput, @Ctx() ctx: Context) {
    return ctx.writes.run(async () => {
      const row = await updateStoryboardMedia(ctx.db, ctx.viewer.id, input.storyboardId, input);
      if (!row) throw await explainMediaRefusal(ctx, input);
      return { result: row, changes: { storyboards: { updated: [row] } } };
    });
  }
}

/** Why updateStoryboardMedia changed nothing: the storyboard, or which resource. */
async function explainMediaRefusal(ctx: Context, input: SetStoryboardMediaInput) {
  const storyboard = await ctx.loaders.storyboardById.load(input.storyboardId);
  if (!storyboard) return notFound('Storyboard', input.storyboardId);
  const wanted = [
    ['firstFrameImageId', input.firstFrameImageId, 'image'],
    ['videoId', input.videoId, 'video'],
  ] as const;
  for (const [argument, id, kind] of wanted) {
    if (id == null) continue;
    const resource = await ctx.loaders.resourceById.load(id);
    if (!resource) return notFound('Resource', id);
    if (resource.kind !== kind || resource.taskId !== storyboard.taskId) {
      return badInput(`${argument} must be a ${kind.toUpperCase()} resource of the storyboard's task`, { argument });
    }
  }
  return notFound('Storyboard', input.storyboardId);
}

@Resolver(() => Task)
export class TaskStoryboardsResolver {
  @FieldResolver(() => StoryboardConnection, { description: 'In sequence order.' })
  async storyboards(
    @Root() task: TaskSummaryRow,
    @Arg('first', () => Int, { nullable: true, description: 'From 0 to 100 (default 20).' }) first: number | undefined,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Connection<StoryboardWithMedia>> {
    return loadStoryboardConnection(ctx, task.id, { first, after }, storyboardProjection(info), connectionSelection(info));
  }
}

export const storyboardResolvers = [StoryboardResolver, TaskStoryboardsResolver] as const;
