import { sql } from 'kysely';
import { anyOf } from '../db/any-of.js';
import type { Db } from '../db/database.js';
import { findPagesPerParent, type PerParentPageKey } from '../db/per-parent-pages.js';
import type { ConversationRow, MessageRole, MessageRow } from './conversation.table.js';

export function findConversationsByIds(db: Db, viewerId: string, ids: readonly string[]): Promise<ConversationRow[]> {
  return db.selectFrom('conversations').selectAll().where('id', '=', anyOf(ids)).where('userId', '=', viewerId).execute();
}

/** A page of the viewer's conversations, newest first (idx_conversations_user_created_id). */
export function findConversationPage(
  db: Db,
  viewerId: string,
  page: { readonly after?: { readonly createdAt: Date; readonly id: string } | undefined; readonly limit: number },
): Promise<ConversationRow[]> {
  let query = db.selectFrom('conversations').selectAll().where('userId', '=', viewerId);
  if (page.after) {
    const { createdAt, id } = page.after;
    query = query.where((eb) => eb(eb.refTuple('createdAt', 'id'), '<', eb.tuple(createdAt, id)));
  }
  return query.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

/** Conversations about the given tasks, newest first (idx_conversations_task). */
export function findConversationsByTaskIds(db: Db, viewerId: string, taskIds: readonly string[]): Promise<ConversationRow[]> {
  return db
    .selectFrom('conversations')
    .selectAll()
    .where('taskId', '=', anyOf(taskIds))
    .where('userId', '=', viewerId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

const MESSAGE_COLUMNS = ['id', 'conversation_id', 'role', 'content', 'created_at'];

/** A page of messages per conversation, for every conversation in one statement per direction. */
export function findMessagePages(db: Db, keys: readonly PerParentPageKey[]): Promise<MessageRow[][]> {
  return findPagesPerParent<MessageRow>(
    db,
    { table: 'messages', parentColumn: 'conversation_id', columns: MESSAGE_COLUMNS, sortColumn: 'created_at', sortType: 'timestamptz' },
    keys,
  );
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
 */
export async function insertMessage(
  db: Db,
  viewerId: string,
  message: { readonly conversationId: string; readonly role: MessageRole; readonly content: string },
): Promise<MessageRow | undefined> {
  const result = await sql<MessageRow>`
    with conversation as (
      update conversations set updated_at = now()
      where id = ${message.conversationId} and user_id = ${viewerId}
      returning id
    )
    insert into messages (conversation_id, role, content)
    select id, ${message.role}::message_role, ${message.content} from conversation
    returning *`.execute(db);
  return result.rows[0];
}
