import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context.js';
import { notFound } from '../errors.js';
import { taskFences } from '../tasks/task.cache.js';
import { Task, type TaskSummaryRow } from '../tasks/task.type.js';
import { AddScriptInput } from './script.inputs.js';
import { insertScript } from './script.repository.js';
import type { ScriptRow } from './script.table.js';
import { Script, type ScriptSummaryRow } from './script.type.js';

@Resolver(() => Script)
export class ScriptResolver {
  @Query(() => Script, { nullable: true, description: "A script of one of the viewer's tasks; NOT_FOUND otherwise." })
  async script(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ScriptRow> {
    return (await ctx.loaders.scriptById.load(id)) ?? Promise.reject(notFound('Script', id));
  }

  @FieldResolver(() => String, { description: 'The full text; read only when asked for.' })
  async content(@Root() script: ScriptSummaryRow, @Ctx() ctx: Context): Promise<string> {
    return script.content ?? (await ctx.loaders.scriptContentById.load(script.id))?.content ?? '';
  }

  @FieldResolver(() => Task)
  async task(@Root() script: ScriptSummaryRow, @Ctx() ctx: Context): Promise<TaskSummaryRow> {
    return (await ctx.loaders.taskById.load(script.taskId)) ?? Promise.reject(notFound('Task', script.taskId));
  }

  @Mutation(() => Script, { description: 'Adds the next version of the task script.' })
  async addScript(@Arg('input', () => AddScriptInput) input: AddScriptInput, @Ctx() ctx: Context): Promise<ScriptRow> {
    const row = await insertScript(ctx.db, ctx.viewer.id, input);
    if (!row) throw notFound('Task', input.taskId);
    await ctx.invalidate([taskFences.content(row.taskId)]);
    ctx.loaders.scriptsByTaskId.clear(row.taskId);
    ctx.loaders.latestScriptByTaskId.clear(row.taskId);
    ctx.loaders.scriptById.prime(row.id, row);
    return row;
  }
}

@Resolver(() => Task)
export class TaskScriptsResolver {
  @FieldResolver(() => [Script], { description: 'Every version, newest first.' })
  scripts(@Root() task: TaskSummaryRow, @Ctx() ctx: Context): Promise<ScriptSummaryRow[]> {
    return ctx.loaders.scriptsByTaskId.load(task.id);
  }

  @FieldResolver(() => Script, { nullable: true })
  latestScript(@Root() task: TaskSummaryRow, @Ctx() ctx: Context): Promise<ScriptSummaryRow | null> {
    return ctx.loaders.latestScriptByTaskId.load(task.id);
  }
}

export const scriptResolvers = [ScriptResolver, TaskScriptsResolver] as const;
