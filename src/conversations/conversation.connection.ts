import type { Context } from '../context.js';
import { badInput } from '../errors.js';
import { isUuid } from '../loader-utils.js';
import {
  type BidirectionalPageArgs,
  type Connection,
  type ForwardPageArgs,
  decodeCursor,
  encodeCursor,
  pageSize,
  pageWindow,
  toConnection,
} from '../pagination.js';
import type { ConversationRow, MessageRow } from './conversation.table.js';

const conversationCursor = (row: ConversationRow) => encodeCursor('conversation', [row.createdAt.getTime(), row.id]);
const messageCursor = (row: MessageRow) => encodeCursor('message', [row.createdAt.getTime(), row.id]);

/** A (created_at, id) cursor of the given list, back as the row position it names. */
function decodeTimeCursor(kind: string, cursor: string): { createdAt: Date; id: string } {
  const [createdAtMs, id] = decodeCursor(kind, cursor, ['number', 'string']) as [number, string];
  const createdAt = new Date(createdAtMs);
  if (!isUuid(id) || Number.isNaN(createdAt.getTime())) throw badInput('The cursor is not valid for this list');
  return { createdAt, id };
}

/** Query.conversations and User.conversations: the viewer's conversations, newest first. */
export async function loadConversationConnection(ctx: Context, args: ForwardPageArgs): Promise<Connection<ConversationRow>> {
  const limit = pageSize(args.first);
  const rows = await ctx.loaders.conversationPage.load({
    after: args.after == null ? undefined : decodeTimeCursor('conversation', args.after),
    limit: limit + 1,
  });
  return toConnection(rows, { limit, backward: false, hasCursor: args.after != null }, conversationCursor);
}

/** Conversation.messages: oldest first; `last: N` is the N newest, still oldest first. */
export async function loadMessageConnection(ctx: Context, conversationId: string, args: BidirectionalPageArgs): Promise<Connection<MessageRow>> {
  const window = pageWindow(args);
  const cursor = window.cursor === undefined ? undefined : decodeTimeCursor('message', window.cursor);
  const rows = await ctx.loaders.messagePageByConversation.load({
    parentId: conversationId,
    limit: window.limit + 1,
    descending: window.backward,
    after: cursor && [cursor.createdAt, cursor.id],
  });
  return toConnection(rows, { ...window, hasCursor: cursor !== undefined }, messageCursor);
}
