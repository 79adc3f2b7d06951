import { sql } from 'kysely';
import { anyOf } from '../db/any-of.js';
import type { Db } from '../db/database.js';
import { findPagesPerParent, type PerParentPageKey, type PerParentPageSpec } from '../db/per-parent-pages.js';
import type { ConversationRow, MessagePageRow, MessageRole, MessageRow } from './conversation.table.js';

export function findConversationsByIds(db: Db, viewerId: string, ids: readonly string[]): Promise<ConversationRow[]> {
  return db.selectFrom('conversations').selectAll().where('id', '=', anyOf(ids)).where('userId', '=', viewerId).execute();
}

/** The column a list of conversations is ordered by, newest first, with id as the tiebreaker. */
export type ConversationSort = 'updatedAt' | 'createdAt';

export interface ConversationPageQuery {
  readonly sort: ConversationSort;
  /** The (sort value, id) of the row the page starts after. */
  readonly after?: { readonly at: Date; readonly id: string } | undefined;
  readonly limit: number;
}

/**
 * A page of the viewer's conversations, newest first by `sort`: a range scan of
 * idx_conversations_user_updated_id or idx_conversations_user_created_id.
 */
export function findConversationPage(db: Db, viewerId: string, page: ConversationPageQuery): Promise<ConversationRow[]> {
  let query = db.selectFrom('conversations').selectAll().where('userId', '=', viewerId);
  if (page.after) {
    const { at, id } = page.after;
    query = query.where((eb) => eb(eb.refTuple(page.sort, 'id'), '<', eb.tuple(at, id)));
  }
  return query.orderBy(page.sort, 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

const CONVERSATION_COLUMNS = ['id', 'user_id', 'task_id', 'title', 'created_at', 'updated_at'];

/** The newest N conversations about each task (idx_conversations_task), the viewer's only, for every task in one statement. */
export function findConversationPagesByTask(db: Db, viewerId: string, keys: readonly PerParentPageKey[]): Promise<ConversationRow[][]> {
  return findPagesPerParent<ConversationRow>(
    db,
    {
      table: 'conversations',
      parentColumn: 'task_id',
      columns: CONVERSATION_COLUMNS,
      sortColumn: 'created_at',
      sortType: 'timestamptz',
      filter: sql`child.user_id = ${viewerId}::uuid`,
    },
    keys,
  );
}

/** A page of messages by conversation, each row's columns as the page asks (findMessagePages). */
const MESSAGE_PAGE = {
  table: 'messages',
  parentColumn: 'conversation_id',
  textTimestamps: ['created_at'],
  sortColumn: 'created_at',
  sortType: 'timestamptz',
} as const;
const MESSAGE_PAGE_WITH_IDS: PerParentPageSpec = { ...MESSAGE_PAGE, columns: ['id', 'conversation_id', 'role', 'content', 'created_at'] };
const MESSAGE_PAGE_WITHOUT_IDS: PerParentPageSpec = { ...MESSAGE_PAGE, columns: ['conversation_id', 'role', 'content', 'created_at'] };

/**
 * A page of messages per conversation, for every conversation in one statement
 * per direction. created_at comes as text: an inbox of 200 messages spent more
 * on parsing it into Dates and formatting them back than on anything else it
 * reads. Ids only `withIds`: an inbox that answers neither ids nor cursors
 * would decode 400 uuids for nothing.
 */
export function findMessagePages(db: Db, keys: readonly PerParentPageKey[], { withIds }: { readonly withIds: boolean }): Promise<MessagePageRow[][]> {
  return findPagesPerParent<MessagePageRow>(db, withIds ? MESSAGE_PAGE_WITH_IDS : MESSAGE_PAGE_WITHOUT_IDS, keys);
}

/**
 * Starts a conversation, about one of the viewer's tasks or none. No row back:
 * the task is not the viewer's.
 */
export async function insertConversation(
  db: Db,
  viewerId: string,
  conversation: { readonly title: string; readonly taskId?: string | undefined },
): Promise<ConversationRow | undefined> {
  const taskId = conversation.taskId ?? null;
  const result = await sql<ConversationRow>`
    insert into conversations (user_id, task_id, title)
    select ${viewerId}, ${taskId}::uuid, ${conversation.title}
    where ${taskId}::uuid is null or exists (select 1 from tasks where id = ${taskId}::uuid and user_id = ${viewerId})
    returning *`.execute(db);
  return result.rows[0];
}

/**
 * Posts a message and moves the conversation's updated_at in one statement:
 * the CTE's UPDATE also checks that the conversation is the viewer's.
 *
 * The message's created_at is the conversation's new updated_at, taken while
 * holding the conversation's row lock: greatest(clock_timestamp(), the last
 * stamp + 1 ms). now() would be the transaction's start, so a transaction that
 * began earlier but commits later would stamp its message before one already
 * committed and read, and a client polling forward with a cursor would never
 * see it. Under the lock the stamps of one conversation follow the order in
 * which their transactions take the lock, which is the order they commit in
 * (the lock is held to the commit). When a concurrent post held the lock, this
 * UPDATE re-reads the row it waited for (PostgreSQL re-evaluates SET on the
 * newest version), so `updated_at + 1 ms` is always past the previous message,
 * even with the clock behind it; the column keeps milliseconds, so 1 ms is the
 * smallest step that stays distinct.
 */
export async function insertMessage(
  db: Db,
  viewerId: string,
  message: { readonly conversationId: string; readonly role: MessageRole; readonly content: string },
): Promise<MessageRow | undefined> {
  const result = await sql<MessageRow>`
    with conversation as (
      update conversations set updated_at = greatest(clock_timestamp(), updated_at + interval '1 millisecond')
      where id = ${message.conversationId} and user_id = ${viewerId}
      returning id, updated_at
    )
    insert into messages (conversation_id, role, content, created_at)
    select id, ${message.role}::message_role, ${message.content}, updated_at from conversation
    returning *`.execute(db);
  return result.rows[0];
}
