import type { Kysely } from 'kysely';
import type { ConversationsTable, MessagesTable } from '../conversations/conversation.table.js';
import type { ResourcesTable } from '../resources/resource.table.js';
import type { ScriptsTable } from '../scripts/script.table.js';
import type { StoryboardsTable } from '../storyboards/storyboard.table.js';
import type { IdempotencyKeysTable, TasksTable } from '../tasks/task.table.js';
import type { UsersTable } from '../users/user.table.js';

/** The database as Kysely sees it; each table is declared with its feature, migrations/ hold the DDL. */
export interface Database {
  users: UsersTable;
  tasks: TasksTable;
  idempotency_keys: IdempotencyKeysTable;
  scripts: ScriptsTable;
  storyboards: StoryboardsTable;
  resources: ResourcesTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
}

export type Db = Kysely<Database>;
