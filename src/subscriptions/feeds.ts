import type { MessageRow } from '../conversations/conversation.table.js';
import type { Db } from '../db/database.js';
import type { StoryboardRow } from '../storyboards/storyboard.table.js';
import type { TaskSummaryRow } from '../tasks/task.repository.js';
import type { Delivery, Feed } from './live-hub.js';
import { findMessagesPostedSince, findStoryboardsAddedSince, findViewerTasksChangedSince } from './replay.repository.js';
import { deletedTaskVersion, messageVersion, sharedTaskVersion, storyboardVersion, taskVersion, topics, type ChangeKind } from './topics.js';
import { isNewer, parseVersion } from './version.js';

/** What viewerTasksChanged sends: the kind of change, and the task (null once deleted). */
export interface TaskChangeValue {
  readonly kind: ChangeKind;
  readonly taskId: string;
  readonly version: string;
  readonly task: TaskSummaryRow | null;
}

const at = (version: string | undefined) => new Date(version === undefined ? 0 : parseVersion(version).atMs);

/** One task: each change of it; the stream completes when it is deleted. */
export function taskFeed(taskId: string, readTask: () => Promise<TaskSummaryRow | null>): Feed<TaskSummaryRow> {
  const delivery = (row: TaskSummaryRow, committedAt: number): Delivery<TaskSummaryRow> => ({ value: row, version: sharedTaskVersion(row), rowId: row.id, committedAt });
  return {
    field: 'taskUpdated',
    topic: topics.task(taskId),
    fromEvent: (event) => (event.type !== 'task' ? null : event.kind === 'deleted' || !event.row ? 'end' : delivery(event.row, event.committedAt)),
    async catchUp(cursor) {
      const row = await readTask();
      return row && isNewer(taskVersion(row), cursor) ? [delivery(row, Date.now())] : [];
    },
  };
}

/** The viewer's tasks: created, updated, deleted. A replay only knows rows that still exist (no tombstones). */
export function viewerTasksFeed(db: Db, viewerId: string, replayMax: number): Feed<TaskChangeValue> {
  return {
    field: 'viewerTasksChanged',
    topic: topics.viewerTasks(viewerId),
    fromEvent(event) {
      if (event.type !== 'task') return null;
      const version = event.row ? sharedTaskVersion(event.row) : deletedTaskVersion(event.id, event.committedAt);
      return { value: { kind: event.kind, taskId: event.id, version, task: event.row }, version, rowId: event.id, committedAt: event.committedAt };
    },
    async catchUp(cursor) {
      const rows = await findViewerTasksChangedSince(db, viewerId, at(cursor), replayMax);
      const now = Date.now();
      return rows.map((row) => {
        const version = taskVersion(row);
        const kind: ChangeKind = row.createdAt.getTime() === row.updatedAt.getTime() ? 'created' : 'updated';
        return { value: { kind, taskId: row.id, version, task: row }, version, rowId: row.id, committedAt: now };
      });
    },
  };
}

export function messageFeed(db: Db, conversationId: string, replayMax: number): Feed<MessageRow> {
  const delivery = (row: MessageRow, committedAt: number) => ({ value: row, version: messageVersion(row), rowId: row.id, committedAt });
  return {
    field: 'messageAdded',
    topic: topics.conversation(conversationId),
    fromEvent: (event) => (event.type === 'message' ? delivery(event.row, event.committedAt) : null),
    async catchUp(cursor) {
      const now = Date.now();
      return (await findMessagesPostedSince(db, conversationId, at(cursor), replayMax)).map((row) => delivery(row, now));
    },
  };
}

/** Storyboards added to a task, and media set on them. A replay finds those added since (media set later is live only). */
export function storyboardFeed(db: Db, taskId: string, replayMax: number): Feed<StoryboardRow> {
  const delivery = (row: StoryboardRow, committedAt: number) => ({ value: row, version: storyboardVersion(row), rowId: row.id, committedAt });
  return {
    field: 'storyboardsChanged',
    topic: topics.taskStoryboards(taskId),
    fromEvent: (event) => (event.type === 'storyboard' ? delivery(event.row, event.committedAt) : null),
    async catchUp(cursor) {
      const now = Date.now();
      return (await findStoryboardsAddedSince(db, taskId, at(cursor), replayMax)).map((row) => delivery(row, now));
    },
  };
}
