import type { WrittenRow } from '../cache/request-cache.js';
import { conversationFences } from '../conversations/conversation.cache.js';
import { taskCache, taskFences, taskRowFences } from '../tasks/task.cache.js';
import type { TaskSummaryRow } from '../tasks/task.repository.js';
import type { WriteChanges } from './changes.js';

/**
 * The one map from what a write changed to the fences it moves (the fences
 * themselves are declared with their namespaces, in each feature's *.cache.ts).
 * A fence missing here is a read served older than the viewer's own write.
 */
export function fencesMovedBy(changes: WriteChanges): string[] {
  const { tasks, scripts, storyboards, resources, conversations, messages } = changes;
  const content = (rows: readonly { taskId: string }[] | undefined) => (rows ?? []).map((row) => taskFences.content(row.taskId));
  const fences = [
    // A new task has no cached row yet (a missing row is not cached): only the lists change.
    ...(tasks?.created?.length ? [taskFences.lists] : []),
    ...(tasks?.updated ?? []).flatMap((row) => [taskFences.task(row.id), taskFences.lists]),
    // Its row, the lists it was in, what hung under it, and its children read by id.
    ...(tasks?.deleted ?? []).flatMap((id) => [taskFences.task(id), taskFences.lists, taskFences.content(id), taskFences.children]),
    ...content(scripts?.added),
    ...content(storyboards?.added),
    // Media set on an existing storyboard: it is also read by its own id, under the children fence.
    ...(storyboards?.updated ?? []).flatMap((row) => [taskFences.content(row.taskId), taskFences.children]),
    ...content(resources?.added),
    ...(conversations?.created ?? []).flatMap((row) => [conversationFences.lists, ...(row.taskId ? [taskFences.content(row.taskId)] : [])]),
    // A post changes the conversation's messages and its updatedAt, in itself and in the lists.
    ...(messages?.posted ?? []).flatMap((row) => [conversationFences.conversation(row.conversationId), conversationFences.lists]),
  ];
  return [...new Set(fences)];
}

/**
 * The rows a write holds that a read would cache as they are: task rows, under
 * taskById's namespace, key and fences. Written through, the next task(id) is a
 * hit rather than a load. (Children are new rows under the content fence, read
 * in pages: a page is not a row the write holds, so they are only retired.)
 */
export function rowsWrittenThrough(changes: WriteChanges): WrittenRow[] {
  const rows = [...(changes.tasks?.created ?? []), ...(changes.tasks?.updated ?? [])];
  return rows.map((row) => ({ namespace: taskCache, key: row.id, fences: taskRowFences(row.id), value: summaryOf(row) }));
}

/** The row as taskById caches it: createTasks answers options too, the large column cached on its own. */
function summaryOf(row: TaskSummaryRow): TaskSummaryRow {
  const { options: _options, ...summary } = row;
  return summary;
}
