import type { Db } from '../db/database.js';
import type { MessageRow } from '../conversations/conversation.table.js';
import type { StoryboardRow } from '../storyboards/storyboard.table.js';
import type { TaskSummaryRow } from '../tasks/task.repository.js';

/**
 * What a subscription replays after `since`: rows changed at or after that
 * instant, oldest first, at most `limit`. "At or after": versions keep
 * milliseconds and the database microseconds, so the same millisecond is
 * read again and the caller drops what the client already has.
 * Viewer scope is in each statement.
 */
const TASK_COLUMNS = ['id', 'userId', 'topic', 'status', 'priority', 'progress', 'error', 'createdAt', 'updatedAt'] as const;

export function findViewerTasksChangedSince(db: Db, viewerId: string, since: Date, limit: number): Promise<TaskSummaryRow[]> {
  return db.selectFrom('tasks').select(TASK_COLUMNS).where('userId', '=', viewerId).where('updatedAt', '>=', since).orderBy('updatedAt').orderBy('id').limit(limit).execute();
}

export function findMessagesPostedSince(db: Db, conversationId: string, since: Date, limit: number): Promise<MessageRow[]> {
  return db.selectFrom('messages').selectAll().where('conversationId', '=', conversationId).where('createdAt', '>=', since).orderBy('createdAt').orderBy('id').limit(limit).execute();
}

export function findStoryboardsAddedSince(db: Db, taskId: string, since: Date, limit: number): Promise<StoryboardRow[]> {
  return db.selectFrom('storyboards').selectAll().where('taskId', '=', taskId).where('createdAt', '>=', since).orderBy('createdAt').orderBy('id').limit(limit).execute();
}
