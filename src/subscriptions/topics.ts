import type { MessageRow } from '../conversations/conversation.table.js';
import type { StoryboardRow } from '../storyboards/storyboard.table.js';
import type { TaskSummaryRow } from '../tasks/task.repository.js';
import type { WriteChanges } from '../writes/changes.js';
import { formatIsoInstant } from '../iso-instant.js';
import { versionOf } from './version.js';

/**
 * What a client can watch, one bus topic each. The id sits in a hash tag, so on
 * a Cluster each topic's slot (and the shard that fans it out) follows its id.
 */
export const topics = {
  task: (taskId: string) => `live:task:{${taskId}}`,
  viewerTasks: (userId: string) => `live:user-tasks:{${userId}}`,
  conversation: (conversationId: string) => `live:conversation:{${conversationId}}`,
  taskStoryboards: (taskId: string) => `live:task-storyboards:{${taskId}}`,
} as const;

export type ChangeKind = 'created' | 'updated' | 'deleted';

/** One message on the bus: what changed, with the instant of its commit (for the delivery latency). */
export type LiveEvent =
  | { readonly type: 'task'; readonly kind: ChangeKind; readonly id: string; readonly row: TaskSummaryRow | null; readonly committedAt: number }
  | { readonly type: 'storyboard'; readonly kind: 'created' | 'updated'; readonly id: string; readonly row: StoryboardRow; readonly committedAt: number }
  | { readonly type: 'message'; readonly id: string; readonly row: MessageRow; readonly committedAt: number };

export const taskVersion = (row: TaskSummaryRow) => versionOf(row.updatedAt, row.id, row.status, row.progress, row.error, row.priority, row.topic);
export const storyboardVersion = (row: StoryboardRow) => versionOf(row.createdAt, row.id, row.firstFrameImageId, row.videoId);
export const messageVersion = (row: MessageRow) => versionOf(row.createdAt, row.id);
/** A deleted task has no row left: its version is the instant of the delete. */
export const deletedTaskVersion = (id: string, committedAt: number) => versionOf(committedAt, id, 'deleted');

/**
 * The bus messages a committed write makes, from its declaration of what it
 * changed (src/writes/changes.ts), and nothing else: a write that declared it
 * is one a subscriber hears of. `viewerId` owns the deleted tasks (only their
 * ids are declared).
 */
export function eventsOf(viewerId: string, changes: WriteChanges, committedAt: number): [topic: string, event: LiveEvent][] {
  const out: [string, LiveEvent][] = [];
  const task = (kind: ChangeKind, row: TaskSummaryRow) => {
    const { options: _options, ...summary } = row;
    const event: LiveEvent = { type: 'task', kind, id: row.id, row: summary, committedAt };
    if (kind === 'updated') out.push([topics.task(row.id), event]);
    out.push([topics.viewerTasks(row.userId), event]);
  };
  for (const row of changes.tasks?.created ?? []) task('created', row);
  for (const row of changes.tasks?.updated ?? []) task('updated', row);
  for (const id of changes.tasks?.deleted ?? []) {
    const event: LiveEvent = { type: 'task', kind: 'deleted', id, row: null, committedAt };
    out.push([topics.task(id), event], [topics.viewerTasks(viewerId), event]);
  }
  const storyboard = (kind: 'created' | 'updated', row: StoryboardRow) =>
    out.push([topics.taskStoryboards(row.taskId), { type: 'storyboard', kind, id: row.id, row, committedAt }]);
  for (const row of changes.storyboards?.added ?? []) storyboard('created', row);
  for (const row of changes.storyboards?.updated ?? []) storyboard('updated', row);
  for (const row of changes.messages?.posted ?? []) out.push([topics.conversation(row.conversationId), { type: 'message', id: row.id, row, committedAt }]);
  return out;
}

const DATE_FIELDS = new Set(['createdAt', 'updatedAt']);

/**
 * The bus messages of one write: a message per topic, carrying that topic's
 * events in order; one event is sent as itself, several as an array
 * (decodeEvents reads both). createTasks of 500 tasks is one message to its
 * viewer's topic, not 500 (each its own Redis command and socket write: ~17 %
 * of the API's CPU in an import). Each event is written once, though an
 * update goes to its task's topic and to its viewer's.
 *
 * Dates are written as ISO strings before JSON.stringify sees them: a Date's
 * toJSON takes JSON.stringify off its fast path (5.3 us an event against
 * 1.7 us, measured on 500 created tasks), and the rows of one write share
 * their Date objects, so each is formatted once.
 */
export function messagesOf(events: readonly (readonly [topic: string, event: LiveEvent])[]): Map<string, string> {
  const formatted = new Map<Date, string>();
  const iso = (date: Date) => {
    let text = formatted.get(date);
    if (text === undefined) formatted.set(date, (text = formatIsoInstant(date.getTime())));
    return text;
  };
  const written = new Map<LiveEvent, string>();
  const byTopic = new Map<string, string[]>();
  for (const [topic, event] of events) {
    let text = written.get(event);
    if (text === undefined) written.set(event, (text = JSON.stringify(event.row === null ? event : { ...event, row: withIsoDates(event.row, iso) })));
    const same = byTopic.get(topic);
    if (same) same.push(text);
    else byTopic.set(topic, [text]);
  }
  return new Map([...byTopic].map(([topic, texts]) => [topic, texts.length === 1 ? texts[0]! : `[${texts.join(',')}]`]));
}

/** A copy of the row with its DATE_FIELDS as ISO strings (what decodeEvents turns back into Dates). */
function withIsoDates<T extends object>(row: T, iso: (date: Date) => string): T {
  const copy = { ...row } as Record<string, unknown>;
  for (const field of DATE_FIELDS) {
    const value = copy[field];
    // An invalid Date stays one: JSON writes it as null, as before.
    if (value instanceof Date && Number.isFinite(value.getTime())) copy[field] = iso(value);
  }
  return copy as T;
}

/** Dates travel as ISO strings; the GraphQL types want Date objects back. */
export function decodeEvents(message: string): readonly LiveEvent[] {
  const parsed = JSON.parse(message, (key, value: unknown) => (DATE_FIELDS.has(key) && typeof value === 'string' ? new Date(value) : value)) as LiveEvent | LiveEvent[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

let lastMessage: string | undefined;
let lastEvents: readonly LiveEvent[] = [];

/**
 * decodeEvents, once per message: the bus hands one message to every local
 * subscriber of its topic in a row, and 50 watchers of a task would otherwise
 * parse it 50 times. Read-only from here on: subscribers share the events.
 */
export function decodeShared(message: string): readonly LiveEvent[] {
  if (message !== lastMessage) {
    lastEvents = decodeEvents(message);
    lastMessage = message;
  }
  return lastEvents;
}

const taskVersions = new WeakMap<TaskSummaryRow, string>();

/** taskVersion, once per row object: the watchers of a task share the event's row. */
export function sharedTaskVersion(row: TaskSummaryRow): string {
  let version = taskVersions.get(row);
  if (version === undefined) taskVersions.set(row, (version = taskVersion(row)));
  return version;
}
