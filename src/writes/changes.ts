import type { ConversationRow, MessageRow } from '../conversations/conversation.table.js';
import type { Resource } from '../resources/resource.repository.js';
import type { ScriptRow } from '../scripts/script.table.js';
import type { StoryboardRow } from '../storyboards/storyboard.table.js';
import type { TaskSummaryRow } from '../tasks/task.repository.js';

/**
 * What one committed write changed, declared once by the mutation that made
 * it: the rows it holds (created or updated) and the ids it removed. Plain
 * data (rows, strings, dates): what the write path turns into fences, loader
 * priming and write-through (./write-path.ts), and what live updates will publish.
 */
export interface WriteChanges {
  readonly tasks?: {
    readonly created?: readonly TaskSummaryRow[];
    readonly updated?: readonly TaskSummaryRow[];
    readonly deleted?: readonly string[];
  };
  readonly scripts?: { readonly added: readonly ScriptRow[] };
  readonly storyboards?: { readonly added?: readonly StoryboardRow[]; readonly updated?: readonly StoryboardRow[] };
  readonly resources?: { readonly added: readonly Resource[] };
  readonly conversations?: { readonly created: readonly ConversationRow[] };
  readonly messages?: { readonly posted: readonly MessageRow[] };
}

/** What a write's work answers: the mutation's result and what it changed. */
export interface Written<T> {
  readonly result: T;
  readonly changes: WriteChanges;
}
