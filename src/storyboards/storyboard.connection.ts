import type { Context } from '../context.js';
import type { ConnectionSelection } from '../execution/look-ahead.js';
import { type Connection, type ForwardPageArgs, decodeCursor, encodeCursor, pageSize, rowsToRead, toConnection } from '../pagination.js';
import type { StoryboardProjection } from './storyboard.projection.js';
import type { StoryboardWithMedia } from './storyboard.repository.js';

const CURSOR_KIND = 'storyboard';

// Storyboards page in sequence order: the cursor is (sequence_number, id), no instant.
const storyboardCursor = (row: StoryboardWithMedia) => encodeCursor(CURSOR_KIND, [row.sequenceNumber, row.id]);

function decodeStoryboardCursor(cursor: string): [number, string] {
  return decodeCursor(CURSOR_KIND, cursor, ['position', 'id'], 'after') as [number, string];
}

/** Task.storyboards: one page of a task's storyboards, each with what `projection` asks of it and its media. */
export async function loadStoryboardConnection(
  ctx: Context,
  taskId: string,
  args: ForwardPageArgs,
  projection: StoryboardProjection,
  selection: ConnectionSelection,
): Promise<Connection<StoryboardWithMedia>> {
  const limit = pageSize(args.first);
  const rows = await ctx.loaders.storyboardPageByTask.load({
    parentId: taskId,
    limit: rowsToRead(limit, selection),
    descending: false,
    after: args.after == null ? undefined : decodeStoryboardCursor(args.after),
    projection,
  });
  return toConnection(rows, { limit, backward: false, hasCursor: args.after != null }, storyboardCursor);
}
