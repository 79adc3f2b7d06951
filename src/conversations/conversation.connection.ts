import type { Context } from '../context.js';
import {
  type BidirectionalPageArgs,
  type Connection,
  type ForwardPageArgs,
  decodeTimeCursor,
  encodeCursor,
  pageSize,
  pageWindow,
  toConnection,
} from '../pagination.js';
import { ConversationOrder } from './conversation.inputs.js';
import type { ConversationSort } from './conversation.repository.js';
import { epochMsOfTimestampText } from '../db/timestamps.js';
import type { ConversationRow, MessagePageRow } from './conversation.table.js';

/**
 * Each order pages on its own column, with its own cursor kind: a cursor of
 * one order names no position in the other.
 */
const CONVERSATION_ORDERS: Readonly<Record<ConversationOrder, { readonly sort: ConversationSort; readonly cursorKind: string }>> = {
  [ConversationOrder.UPDATED_AT_DESC]: { sort: 'updatedAt', cursorKind: 'conversation-by-activity' },
  [ConversationOrder.CREATED_AT_DESC]: { sort: 'createdAt', cursorKind: 'conversation' },
};

const messageCursor = (row: MessagePageRow) => encodeCursor('message', [epochMsOfTimestampText(row.createdAt), row.id]);

export interface ConversationPageArgs extends ForwardPageArgs {
  readonly orderBy?: ConversationOrder | null | undefined;
}

/** Query.conversations and User.conversations: the viewer's conversations, newest activity first unless ordered otherwise. */
export async function loadConversationConnection(ctx: Context, args: ConversationPageArgs): Promise<Connection<ConversationRow>> {
  const limit = pageSize(args.first);
  const { sort, cursorKind } = CONVERSATION_ORDERS[args.orderBy ?? ConversationOrder.UPDATED_AT_DESC];
  const rows = await ctx.loaders.conversationPage.load({
    sort,
    after: args.after == null ? undefined : decodeTimeCursor(cursorKind, args.after, 'after'),
    limit: limit + 1,
  });
  return toConnection(rows, { limit, backward: false, hasCursor: args.after != null }, (row) =>
    encodeCursor(cursorKind, [row[sort].getTime(), row.id]),
  );
}

/** Conversation.messages: oldest first; `last: N` is the N newest, still oldest first. */
export async function loadMessageConnection(ctx: Context, conversationId: string, args: BidirectionalPageArgs): Promise<Connection<MessagePageRow>> {
  const window = pageWindow(args);
  const cursor = window.cursor === undefined ? undefined : decodeTimeCursor('message', window.cursor, window.backward ? 'before' : 'after');
  const rows = await ctx.loaders.messagePageByConversation.load({
    parentId: conversationId,
    limit: window.limit + 1,
    descending: window.backward,
    after: cursor && [cursor.at, cursor.id],
  });
  return toConnection(rows, { ...window, hasCursor: cursor !== undefined }, messageCursor);
}
