import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

/**
 * Test data straight into the database, set-based: a test states the shape it
 * needs (how many tasks, scripts, storyboards, messages) and gets the ids.
 * Rows of one call share created_at unless `spreadMs` spaces them out, so
 * keyset pagination is tested on ties as well as on distinct times.
 */
export interface TaskTreeShape {
  readonly tasks: number;
  readonly scriptsPerTask?: number;
  readonly storyboardsPerTask?: number;
  /** Each storyboard gets an image and a video resource of its task. */
  readonly withMedia?: boolean;
  readonly status?: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  /** created_at of task i is now() - i * spreadMs; 0 makes them all equal. */
  readonly spreadMs?: number;
}

export async function createTaskTree(db: Db, userId: string, shape: TaskTreeShape): Promise<string[]> {
  const spreadMs = shape.spreadMs ?? 1_000;
  const tasks = await sql<{ id: string }>`
    insert into tasks (user_id, topic, status, progress, options, created_at, updated_at)
    select ${userId}, 'Topic ' || n, ${shape.status ?? 'pending'}::task_status,
           case when ${shape.status ?? 'pending'} = 'completed' then 1 else 0 end,
           jsonb_build_object('style', 'test', 'n', n),
           now() - make_interval(secs => n * ${spreadMs} / 1000.0), now()
    from generate_series(1, ${shape.tasks}::int) as n
    returning id`.execute(db);
  const taskIds = tasks.rows.map((row) => row.id);

  if ((shape.scriptsPerTask ?? 0) > 0) {
    await sql`
      insert into scripts (task_id, version, title, content, created_at)
      select t.id, v, 'Script v' || v, repeat('Scene text. ', 50), now() - make_interval(secs => (100 - v))
      from unnest(${taskIds}::uuid[]) as t(id), generate_series(1, ${shape.scriptsPerTask}::int) as v`.execute(db);
  }
  if ((shape.storyboardsPerTask ?? 0) > 0) {
    await sql`
      insert into storyboards (task_id, sequence_number, description, prompt, duration_seconds)
      select t.id, s, 'Storyboard ' || s, 'Prompt ' || s, 4
      from unnest(${taskIds}::uuid[]) as t(id), generate_series(0, ${shape.storyboardsPerTask! - 1}::int) as s`.execute(db);
    if (shape.withMedia) await attachMedia(db, taskIds);
  }
  return taskIds;
}

/** Gives every storyboard of the tasks an image and a video resource of the same task. */
async function attachMedia(db: Db, taskIds: readonly string[]): Promise<void> {
  await sql`
    with media as (
      insert into resources (task_id, kind, url, mime_type, width, height, duration_seconds)
      select s.task_id, kind::resource_kind, 'https://cdn.test/' || s.id || '/' || kind, 'application/octet-stream', 1280, 720,
             case when kind = 'video' then 4 end
      from storyboards s, unnest(array['image', 'video']) as kind
      where s.task_id = any(${taskIds}::uuid[])
      returning id, task_id, kind, url
    )
    update storyboards s set
      first_frame_image_id = (select id from media where media.url = 'https://cdn.test/' || s.id || '/image'),
      video_id = (select id from media where media.url = 'https://cdn.test/' || s.id || '/video')
    where s.task_id = any(${taskIds}::uuid[])`.execute(db);
}

export interface ConversationShape {
  readonly conversations: number;
  readonly messagesPerConversation: number;
  readonly taskId?: string;
  /** created_at of message m is base + m * spreadMs; 0 makes them all equal. */
  readonly spreadMs?: number;
}

export async function createConversations(db: Db, userId: string, shape: ConversationShape): Promise<string[]> {
  const spreadMs = shape.spreadMs ?? 1_000;
  // updated_at = created_at: both orders of the list agree until a test posts a message.
  const conversations = await sql<{ id: string }>`
    insert into conversations (user_id, task_id, title, created_at, updated_at)
    select ${userId}, ${shape.taskId ?? null}::uuid, 'Conversation ' || n, now() - make_interval(secs => n), now() - make_interval(secs => n)
    from generate_series(1, ${shape.conversations}::int) as n
    returning id`.execute(db);
  const ids = conversations.rows.map((row) => row.id);
  if (shape.messagesPerConversation > 0) {
    await sql`
      insert into messages (conversation_id, role, content, created_at)
      select c.id, (array['user', 'assistant'])[1 + m % 2]::message_role, 'Message ' || m,
             now() - interval '1 day' + make_interval(secs => m * ${spreadMs} / 1000.0)
      from unnest(${ids}::uuid[]) as c(id), generate_series(1, ${shape.messagesPerConversation}::int) as m`.execute(db);
  }
  return ids;
}
