import type { Context } from '../context.js';
import type { ConnectionSelection } from '../execution/look-ahead.js';
import {
  type BidirectionalPageArgs,
  type Connection,
  type ForwardPageArgs,
  decodeTimeCursor,
  encodeCursor,
  pageSize,
  pageWindow,
  rowsToRead,
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

const messageCursor = (row: MessagePageRow) => encodeCursor('message', [epochMsOfTimestampText(row.createdAt), idOf(row)]);

/** A page asked for cursors reads its ids (loadMessageConnection): a row without one here is a bug, not a client's mistake. */
function idOf(row: MessagePageRow): string {
  if (row.id === undefined) throw new Error('A cursor of a message page read without ids');
  return row.id;
}

export interface ConversationPageArgs extends ForwardPageArgs {
  readonly orderBy?: ConversationOrder | null | undefined;
}

/** Query.conversations and User.conversations: the viewer's conversations, newest activity first unless ordered otherwise. */
export async function loadConversationConnection(
  ctx: Context,
  args: ConversationPageArgs,
  selection: ConnectionSelection,
): Promise<Connection<ConversationRow>> {
  const limit = pageSize(args.first);
  const { sort, cursorKind } = CONVERSATION_ORDERS[args.orderBy ?? ConversationOrder.UPDATED_AT_DESC];
  const rows = await ctx.loaders.conversationPage.load({
    sort,
    after: args.after == null ? undefined : decodeTimeCursor(cursorKind, args.after, 'after'),
    limit: rowsToRead(limit, selection),
  });
  return toConnection(rows, { limit, backward: false, hasCursor: args.after != null }, (row) =>
    encodeCursor(cursorKind, [row[sort].getTime(), row.id]),
  );
}

/**
 * Conversation.messages: oldest first; `last: N` is the N newest, still oldest first.
 *
 * The page reads what `selection` answers: ids only for Message.id or a
 * cursor, and the row past its end only for hasNextPage or hasPreviousPage (an
 * inbox of 20 conversations asks for neither: 400 rows without ids, not 420 with).
 *
 * When the page answers its messages' contents, their bytes are charged to
 * the response's budget here, once per page (src/limits/response-budget.ts),
 * and Message.content is a plain property. A resolver per message made
 * graphql-jit build a resolve info and a response path for each of an inbox's
 * 400 contents: ~120 KB of garbage per W4 request, an eighth of what it
 * allocated (sampled heap profile). A message answered alone (postMessage, a
 * live event) is one row written under today's length limit.
 */
export async function loadMessageConnection(
  ctx: Context,
  conversationId: string,
  args: BidirectionalPageArgs,
  selection: ConnectionSelection,
): Promise<Connection<MessagePageRow>> {
  const window = pageWindow(args);
  const cursor = window.cursor === undefined ? undefined : decodeTimeCursor('message', window.cursor, window.backward ? 'before' : 'after');
  const rows = await ctx.loaders.messagePageByConversation.load({
    parentId: conversationId,
    limit: rowsToRead(window.limit, selection),
    descending: window.backward,
    after: cursor && [cursor.at, cursor.id],
    withIds: selection.cursors || selection.nodeFields.has('id'),
  });
  const connection = toConnection(rows, { ...window, hasCursor: cursor !== undefined }, messageCursor);
  if (selection.nodeFields.has('content')) for (const message of connection.nodes) ctx.responseBudget.chargeText(message.content);
  return connection;
}
