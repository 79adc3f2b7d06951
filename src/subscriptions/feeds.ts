import type { MessageRow } from '../conversations/conversation.table.js';
import type { Db } from '../db/database.js';
import type { StoryboardRow } from '../storyboards/storyboard.table.js';
import type { TaskSummaryRow } from '../tasks/task.repository.js';
import type { Delivery, Feed } from './live-hub.js';
import { findMessagesPostedSince, findStoryboardsAddedSince, findViewerTasksChangedSince } from './replay.repository.js';
import { deletedTaskVersion, messageVersion, sharedTaskVersion, storyboardVersion, taskVersion, topics, type ChangeKind, type LiveEvent } from './topics.js';
import { isNewer, parseVersion } from './version.js';

/** What viewerTasksChanged sends: the kind of change, and the task (null once deleted). */
export interface TaskChangeValue {
  readonly kind: ChangeKind;
  readonly taskId: string;
  readonly version: string;
  readonly task: TaskSummaryRow | null;
}

const at = (version: string | undefined) => new Date(version === undefined ? 0 : parseVersion(version).atMs);

// What a bus event gives each feed's subscribers, as functions of the module: a feed lives as long
// as its subscription, and a closure per subscription for what depends on the event alone is memory for nothing.
function taskDelivery(row: TaskSummaryRow, committedAt: number): Delivery<TaskSummaryRow> {
  return { value: row, version: sharedTaskVersion(row), rowId: row.id, committedAt };
}
function taskFromEvent(event: LiveEvent): Delivery<TaskSummaryRow> | 'end' | null {
  return event.type !== 'task' ? null : event.kind === 'deleted' || !event.row ? 'end' : taskDelivery(event.row, event.committedAt);
}
function messageDelivery(row: MessageRow, committedAt: number): Delivery<MessageRow> {
  return { value: row, version: messageVersion(row), rowId: row.id, committedAt };
}
function messageFromEvent(event: LiveEvent): Delivery<MessageRow> | null {
  return event.type === 'message' ? messageDelivery(event.row, event.committedAt) : null;
}
function storyboardDelivery(row: StoryboardRow, committedAt: number): Delivery<StoryboardRow> {
  return { value: row, version: storyboardVersion(row), rowId: row.id, committedAt };
}
function storyboardFromEvent(event: LiveEvent): Delivery<StoryboardRow> | null {
  return event.type === 'storyboard' ? storyboardDelivery(event.row, event.committedAt) : null;
}

/** One task: each change of it; the stream completes when it is deleted. */
export function taskFeed(taskId: string, readTask: () => Promise<TaskSummaryRow | null>): Feed<TaskSummaryRow> {
  return {
    field: 'taskUpdated',
    topic: topics.task(taskId),
    fromEvent: taskFromEvent,
    async catchUp(cursor) {
      const row = await readTask();
      return row && isNewer(taskVersion(row), cursor) ? [taskDelivery(row, Date.now())] : [];
    },
  };
}

/** One value per bus event, shared by the event's local subscribers: their payload executes once (./shared-execution.ts). */
const taskChanges = new WeakMap<LiveEvent, Delivery<TaskChangeValue>>();
function taskChangeFromEvent(event: LiveEvent): Delivery<TaskChangeValue> | null {
  if (event.type !== 'task') return null;
  let change = taskChanges.get(event);
  if (!change) {
    const version = event.row ? sharedTaskVersion(event.row) : deletedTaskVersion(event.id, event.committedAt);
    change = { value: { kind: event.kind, taskId: event.id, version, task: event.row }, version, rowId: event.id, committedAt: event.committedAt };
    taskChanges.set(event, change);
  }
  return change;
}

/** The viewer's tasks: created, updated, deleted. A replay only knows rows that still exist (no tombstones). */
export function viewerTasksFeed(db: Db, viewerId: string, replayMax: number): Feed<TaskChangeValue> {
  return {
    field: 'viewerTasksChanged',
    topic: topics.viewerTasks(viewerId),
    fromEvent: taskChangeFromEvent,
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
  return {
    field: 'messageAdded',
    topic: topics.conversation(conversationId),
    fromEvent: messageFromEvent,
    async catchUp(cursor) {
      const now = Date.now();
      return (await findMessagesPostedSince(db, conversationId, at(cursor), replayMax)).map((row) => messageDelivery(row, now));
    },
  };
}

/** Storyboards added to a task, and media set on them. A replay finds those added since (media set later is live only). */
export function storyboardFeed(db: Db, taskId: string, replayMax: number): Feed<StoryboardRow> {
  return {
    field: 'storyboardsChanged',
    topic: topics.taskStoryboards(taskId),
    fromEvent: storyboardFromEvent,
    async catchUp(cursor) {
      const now = Date.now();
      return (await findStoryboardsAddedSince(db, taskId, at(cursor), replayMax)).map((row) => storyboardDelivery(row, now));
    },
  };
}
