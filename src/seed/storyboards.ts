import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { SHOTS, STYLES, pick } from './words.js';

/**
 * `storyboardsPerTask` storyboards for every task of `seed_tasks`, each with
 * its first-frame image and its video resource, in one statement: the ids are
 * drawn once in a CTE (materialized, as it is read three times), the two
 * resource inserts and the storyboard insert all read them, and the foreign
 * keys are checked at the end of the statement, when the resources exist.
 */
export async function insertChunkStoryboards(trx: Db, storyboardsPerTask: number): Promise<void> {
  await sql`
    with frames as (
      select t.id as task_id, t.topic, t.ordinal, s as sequence_number,
             gen_random_uuid() as image_id, gen_random_uuid() as video_id,
             5 + (s % 4) * 1.5 as duration_seconds,
             t.created_at + make_interval(mins => 10 + s) as created_at
      from seed_tasks as t cross join generate_series(0, ${storyboardsPerTask - 1}::integer) as s
    ),
    images as (
      insert into resources (id, task_id, kind, url, mime_type, size_bytes, width, height, created_at)
      select image_id, task_id, 'image', 'https://cdn.arya.dev/tasks/' || task_id || '/frames/' || sequence_number || '.png',
             'image/png', 1200000 + (ordinal * 7919 + sequence_number * 104729) % 1200000, 1920, 1080, created_at
      from frames
    ),
    videos as (
      insert into resources (id, task_id, kind, url, mime_type, size_bytes, width, height, duration_seconds, created_at)
      select video_id, task_id, 'video', 'https://cdn.arya.dev/tasks/' || task_id || '/clips/' || sequence_number || '.mp4',
             'video/mp4', 8000000 + (ordinal * 7919 + sequence_number * 104729) % 12000000, 1920, 1080, duration_seconds,
             created_at + interval '1 minute'
      from frames
    )
    insert into storyboards (task_id, sequence_number, description, prompt, duration_seconds, first_frame_image_id, video_id, created_at)
    select task_id, sequence_number,
           'Shot ' || (sequence_number + 1) || ': ' || ${pick(SHOTS, sql`sequence_number`)},
           ${pick(SHOTS, sql`sequence_number`)} || ' for ' || topic || ', ' || ${pick(STYLES, sql`ordinal`)}
             || ' style, soft natural light, 35 mm lens, shallow depth of field',
           duration_seconds, image_id, video_id, created_at
    from frames`.execute(trx);
}

/** One narration track per task of `seed_tasks`, so that the demo data has every resource kind. */
export async function insertChunkNarrations(trx: Db): Promise<void> {
  await sql`
    insert into resources (task_id, kind, url, mime_type, size_bytes, duration_seconds, created_at)
    select id, 'audio', 'https://cdn.arya.dev/tasks/' || id || '/narration.mp3', 'audio/mpeg',
           900000 + (ordinal * 7919) % 600000, 45 + ordinal % 30, created_at + interval '8 minutes'
    from seed_tasks`.execute(trx);
}
