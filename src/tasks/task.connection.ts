import type { Context } from '../context.js';
import type { ConnectionSelection } from '../execution/look-ahead.js';
import { type Connection, checkOffset, decodeTimeCursor, encodeCursor, pageSize, rowsToRead, toConnection } from '../pagination.js';
import { badInput } from '../errors.js';
import { TaskOrder, type TaskListArgs } from './task.inputs.js';
import type { TaskSummaryRow } from './task.repository.js';

const CURSOR_KIND = 'task';

export const taskCursor = (row: TaskSummaryRow) => encodeCursor(CURSOR_KIND, [row.createdAt.getTime(), row.id]);

/** Query.tasks and User.tasks: one page of the viewer's tasks, by cursor or by offset. */
export async function loadTaskConnection(ctx: Context, args: TaskListArgs, selection: ConnectionSelection): Promise<Connection<TaskSummaryRow>> {
  const limit = pageSize(args.first);
  const offset = checkOffset(args.offset);
  if (args.after != null && offset > 0) throw badInput('Use after or offset, not both');
  const rows = await ctx.loaders.taskPage.load({
    status: args.filter?.status,
    priority: args.filter?.priority,
    createdAfter: args.filter?.createdAfter,
    createdBefore: args.filter?.createdBefore,
    descending: (args.orderBy ?? TaskOrder.CREATED_AT_DESC) === TaskOrder.CREATED_AT_DESC,
    after: args.after == null ? undefined : decodeTaskCursor(args.after),
    offset,
    limit: rowsToRead(limit, selection),
  });
  return toConnection(rows, { limit, backward: false, hasCursor: args.after != null || offset > 0 }, taskCursor);
}

function decodeTaskCursor(cursor: string) {
  const { at, id } = decodeTimeCursor(CURSOR_KIND, cursor, 'after');
  return { createdAt: at, id };
}
