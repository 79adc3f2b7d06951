import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RequireScope, Scope } from '../auth/scopes.js';
import type { Context } from '../context.js';
import { notFound } from '../errors.js';
import { MAX_PAGE_SIZE, pageSize } from '../pagination.js';
import type { TaskSummaryRow } from '../tasks/task.repository.js';
import { Task } from '../tasks/task.type.js';
import { AddScriptInput } from './script.inputs.js';
import { insertScript, type ScriptSummaryRow } from './script.repository.js';
import type { ScriptRow } from './script.table.js';
import { Script } from './script.type.js';

@Resolver(() => Script)
export class ScriptResolver {
  @Query(() => Script, { nullable: true, description: "A script of one of the viewer's tasks; null for any other id (missing or another user's)." })
  script(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ScriptRow | null> {
    return ctx.loaders.scriptById.load(id);
  }

  @FieldResolver(() => String, { description: 'The full text; read only when asked for.' })
  async content(@Root() script: ScriptSummaryRow, @Ctx() ctx: Context): Promise<string> {
    const content = script.content ?? (await ctx.loaders.scriptContentById.load(script.id))?.content ?? '';
    return ctx.responseBudget.chargeText(content);
  }

  @FieldResolver(() => Task)
  async task(@Root() script: ScriptSummaryRow, @Ctx() ctx: Context): Promise<TaskSummaryRow> {
    return (await ctx.loaders.taskById.load(script.taskId)) ?? Promise.reject(notFound('Task', script.taskId));
  }

  @Mutation(() => Script, { description: 'Adds the next version of the task script. Agent tokens only.' })
  @RequireScope(Scope.AGENT)
  async addScript(@Arg('input', () => AddScriptInput) input: AddScriptInput, @Ctx() ctx: Context): Promise<ScriptRow> {
    return ctx.writes.run(async () => {
      const row = await insertScript(ctx.db, ctx.viewer.id, input);
      if (!row) throw notFound('Task', input.taskId);
      return { result: row, changes: { scripts: { added: [row] } } };
    });
  }
}

/** A script for a 10-minute video is ~10 KB: ten versions of it cover a task's history as people read it. */
const SCRIPTS_DEFAULT_FIRST = 10;

@Resolver(() => Task)
export class TaskScriptsResolver {
  @FieldResolver(() => [Script], { description: 'The newest versions first; older ones by id (`script`).' })
  async scripts(
    @Root() task: TaskSummaryRow,
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: SCRIPTS_DEFAULT_FIRST,
      description: `How many versions, from 0 to ${MAX_PAGE_SIZE}.`,
    })
    first: number | null,
    @Ctx() ctx: Context,
  ): Promise<ScriptSummaryRow[]> {
    const limit = pageSize(first, 'first', SCRIPTS_DEFAULT_FIRST);
    return ctx.loaders.scriptPageByTask.load({ parentId: task.id, limit, descending: true });
  }

  @FieldResolver(() => Script, { nullable: true })
  latestScript(@Root() task: TaskSummaryRow, @Ctx() ctx: Context): Promise<ScriptSummaryRow | null> {
    return ctx.loaders.latestScriptByTaskId.load(task.id);
  }
}

export const scriptResolvers = [ScriptResolver, TaskScriptsResolver] as const;
