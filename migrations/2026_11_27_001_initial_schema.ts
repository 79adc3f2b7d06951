import { sql, type Kysely } from 'kysely';

/**
 * The data model of DESIGN.md: users, tasks with their scripts, storyboards and
 * resources, and conversations with their messages. Frozen once applied:
 * later changes are new migrations. Imports nothing from src/.
 *
 * Timestamps keep milliseconds (timestamptz(3)): that is what a JavaScript Date
 * holds, so a keyset cursor made from a row's created_at matches it exactly.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create type task_status as enum ('pending', 'running', 'completed', 'failed', 'cancelled')`.execute(db);
  await sql`create type task_priority as enum ('low', 'normal', 'high', 'urgent')`.execute(db);
  await sql`create type resource_kind as enum ('image', 'video', 'audio')`.execute(db);
  await sql`create type message_role as enum ('user', 'assistant', 'system', 'tool')`.execute(db);

  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('config', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('tasks')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('status', sql`task_status`, (c) => c.notNull().defaultTo('pending'))
    .addColumn('priority', sql`task_priority`, (c) => c.notNull().defaultTo('normal'))
    .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('options', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('error', 'text')
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('tasks_progress_range', sql`progress >= 0 and progress <= 1`)
    .addCheckConstraint('tasks_topic_length', sql`char_length(topic) between 1 and 500`)
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('task_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['user_id', 'key'])
    .execute();

  await db.schema
    .createTable('scripts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('task_id', 'uuid', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('scripts_task_version_unique', ['task_id', 'version'])
    .execute();

  await db.schema
    .createTable('resources')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('task_id', 'uuid', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('kind', sql`resource_kind`, (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.check(sql`size_bytes >= 0`))
    .addColumn('width', 'integer', (c) => c.check(sql`width > 0`))
    .addColumn('height', 'integer', (c) => c.check(sql`height > 0`))
    .addColumn('duration_seconds', 'double precision', (c) => c.check(sql`duration_seconds >= 0`))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('storyboards')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('task_id', 'uuid', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('sequence_number', 'integer', (c) => c.notNull().check(sql`sequence_number >= 0`))
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('prompt', 'text', (c) => c.notNull())
    .addColumn('duration_seconds', 'double precision', (c) => c.notNull().check(sql`duration_seconds > 0`))
    .addColumn('first_frame_image_id', 'uuid', (c) => c.references('resources.id').onDelete('set null'))
    .addColumn('video_id', 'uuid', (c) => c.references('resources.id').onDelete('set null'))
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('task_id', 'uuid', (c) => c.references('tasks.id').onDelete('set null'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('conversation_id', 'uuid', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('role', sql`message_role`, (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', sql`timestamptz(3)`, (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The indexes named by the performance guide, as it names them.
  await sql`create index idx_tasks_user_created_status on tasks (user_id, created_at desc, status)`.execute(db);
  await sql`create index idx_tasks_user_priority_created on tasks (user_id, priority, created_at desc)`.execute(db);
  await sql`create index idx_tasks_status_created on tasks (status, created_at desc)`.execute(db);
  await sql`create index idx_scripts_task_created on scripts (task_id, created_at desc)`.execute(db);
  await sql`create index idx_storyboards_task_sequence_created on storyboards (task_id, sequence_number, created_at desc)`.execute(db);

  // Keyset pages order by (created_at, id): these indexes end in id so that a
  // page is an index range scan with no sort, however many rows share a created_at.
  await sql`create index idx_tasks_user_created_id on tasks (user_id, created_at desc, id desc)`.execute(db);
  await sql`create index idx_tasks_user_status_created_id on tasks (user_id, status, created_at desc, id desc)`.execute(db);
  await sql`create index idx_conversations_user_created_id on conversations (user_id, created_at desc, id desc)`.execute(db);
  await sql`create index idx_messages_conversation_created_id on messages (conversation_id, created_at desc, id desc)`.execute(db);
  await sql`create index idx_resources_task_kind_created_id on resources (task_id, kind, created_at desc, id desc)`.execute(db);

  // Foreign keys not already leading an index above: without these, deleting a
  // task or a resource scans the referencing table.
  await sql`create index idx_conversations_task on conversations (task_id) where task_id is not null`.execute(db);
  await sql`create index idx_storyboards_first_frame_image on storyboards (first_frame_image_id) where first_frame_image_id is not null`.execute(db);
  await sql`create index idx_storyboards_video on storyboards (video_id) where video_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['messages', 'conversations', 'storyboards', 'resources', 'scripts', 'idempotency_keys', 'tasks', 'users']) {
    await db.schema.dropTable(table).execute();
  }
  for (const type of ['message_role', 'resource_kind', 'task_priority', 'task_status']) {
    await sql`drop type ${sql.id(type)}`.execute(db);
  }
}
