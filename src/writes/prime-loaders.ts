import type DataLoader from 'dataloader';
import type { Loaders } from '../loaders.js';
import type { WriteChanges } from './changes.js';

/**
 * Later reads in the same request see what the write made: a written row is
 * cleared, then primed (prime alone keeps a value loaded before the write);
 * a removed one is cleared; pages of the entity are dropped, since the write
 * may have changed which rows they hold or their order.
 */
export function primeLoaders(loaders: Loaders, changes: WriteChanges): void {
  const { tasks, scripts, storyboards, resources, conversations, messages } = changes;
  if (tasks) {
    primeRows(loaders.taskById, [...(tasks.created ?? []), ...(tasks.updated ?? [])]);
    for (const id of tasks.deleted ?? []) loaders.taskById.clear(id);
    loaders.taskPage.clearAll();
  }
  if (scripts) {
    primeRows(loaders.scriptById, scripts.added);
    for (const row of scripts.added) loaders.latestScriptByTaskId.clear(row.taskId);
    loaders.scriptPageByTask.clearAll();
  }
  if (storyboards) {
    primeRows(loaders.storyboardById, [...(storyboards.added ?? []), ...(storyboards.updated ?? [])]);
    loaders.storyboardPageByTask.clearAll();
  }
  if (resources) {
    primeRows(loaders.resourceById, resources.added);
    loaders.resourcePageByTask.clearAll();
  }
  if (conversations) {
    primeRows(loaders.conversationById, conversations.created);
    loaders.conversationPage.clearAll();
    loaders.conversationPageByTask.clearAll();
  }
  if (messages) {
    // The post moved the conversation's updatedAt: its row and the lists (ordered by activity) are reloaded.
    for (const row of messages.posted) loaders.conversationById.clear(row.conversationId);
    loaders.conversationPage.clearAll();
    loaders.messagePageByConversation.clearAll();
  }
}

function primeRows<R extends { id: string }>(loader: DataLoader<string, R | null>, rows: readonly R[]): void {
  for (const row of rows) loader.clear(row.id).prime(row.id, row);
}
