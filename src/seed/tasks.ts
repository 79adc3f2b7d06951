import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { instantInPastYear } from './time.js';
import { ASPECT_RATIOS, AUDIENCES, LOCALES, MUSIC_MOODS, STYLES, SUBJECTS, TASK_ERRORS, VIDEO_FORMATS, VOICES, pick } from './words.js';

const SCRIPT_TITLES = ['First draft', 'Revised draft', 'Final script'];

/**
 * Plans `tasksPerUser` tasks for every user of `seed_users` into the
 * temporary table `seed_tasks` (id, owner, ordinal, topic, status, created_at),
 * which the scripts, storyboards and conversations statements then read
 * instead of the ever larger tasks table; then inserts them into tasks.
 */
export async function insertChunkTasks(trx: Db, tasksPerUser: number): Promise<void> {
  await sql`create temporary table seed_tasks (
              id uuid not null,
              user_id uuid not null,
              user_ordinal integer not null,
              ordinal integer not null,
              topic text not null,
              status task_status not null,
              created_at timestamptz(3) not null,
              primary key (user_id, ordinal)
            ) on commit drop`.execute(trx);

  // k is the task's ordinal (1..tasksPerUser) and u its owner's. Every 20
  // consecutive k hit each of the buckets 0..19 once (7 is coprime to 20),
  // which makes the status mix exactly 60/15/15/5/5 % per 20 tasks.
  const u = sql`u.ordinal`;
  const k = sql`k`;
  await sql`
    insert into seed_tasks (id, user_id, user_ordinal, ordinal, topic, status, created_at)
    select gen_random_uuid(), u.id, ${u}, ${k},
           ${pick(VIDEO_FORMATS, sql`${k} + ${u}`)} || ' ' || ${pick(SUBJECTS, sql`${k} * 3 + ${u} * 7`)} || ' ' || ${pick(AUDIENCES, sql`${k} * 5 + ${u}`)},
           (case when (${k} * 7) % 20 < 12 then 'completed'
                 when (${k} * 7) % 20 < 15 then 'running'
                 when (${k} * 7) % 20 < 18 then 'pending'
                 when (${k} * 7) % 20 = 18 then 'failed'
                 else 'cancelled' end)::task_status,
           -- plus a few milliseconds, as created_at keeps them
           ${instantInPastYear(k, u)} - make_interval(secs => (${k} * 389 % 1000) / 1000.0)
    from seed_users as u cross join generate_series(1, ${tasksPerUser}::integer) as k`.execute(trx);

  const n = sql`t.ordinal`;
  await sql`
    insert into tasks (id, user_id, topic, status, priority, progress, options, error, created_at, updated_at)
    select t.id, t.user_id, t.topic, t.status,
           (case when (${n} * 3 + t.user_ordinal) % 10 < 2 then 'low'
                 when (${n} * 3 + t.user_ordinal) % 10 < 7 then 'normal'
                 when (${n} * 3 + t.user_ordinal) % 10 < 9 then 'high'
                 else 'urgent' end)::task_priority,
           case t.status when 'completed' then 1 when 'pending' then 0
                         else 0.05 + (${n} * 37 % 90) / 100.0 end,
           ${taskOptions()},
           case when t.status = 'failed' then ${pick(TASK_ERRORS, sql`${n} + t.user_ordinal`)} end,
           t.created_at,
           t.created_at + make_interval(mins => case when t.status = 'pending' then 0 else 1 + ${n} % 30 end)
    from seed_tasks as t`.execute(trx);
}

/** About 1 KB of generation settings, as a client would send them. */
function taskOptions() {
  const n = sql`t.ordinal`;
  const u = sql`t.user_ordinal`;
  return sql`jsonb_build_object(
    'style', ${pick(STYLES, sql`${n} + ${u}`)},
    'voice', ${pick(VOICES, sql`${n} * 3 + ${u}`)},
    'aspectRatio', ${pick(ASPECT_RATIOS, sql`${n} + ${u} * 3`)},
    'resolution', jsonb_build_object('width', 1920, 'height', 1080),
    'fps', 30,
    'targetDurationSeconds', 30 + (${n} % 4) * 15,
    'language', ${pick(LOCALES, u)},
    'music', jsonb_build_object('mood', ${pick(MUSIC_MOODS, n)}, 'volume', 0.35, 'duckUnderVoice', true),
    'storyboard', jsonb_build_object('count', 8, 'secondsPerShot', 7.5, 'transition', 'crossfade'),
    'brandKit', jsonb_build_object(
      'primaryColor', '#1F6FEB', 'secondaryColor', '#F2CC60', 'font', 'Inter',
      'logoUrl', 'https://cdn.arya.dev/brands/' || t.user_id || '/logo.svg'),
    'captions', jsonb_build_object('enabled', true, 'languages', jsonb_build_array('en', 'es', 'de'), 'burnIn', false),
    'negativePrompt', 'blurry, low resolution, watermark, text artifacts, distorted hands, extra fingers, oversaturated colors, jpeg artifacts, cropped faces',
    'brief', t.topic || '. Open with a hook in the first 3 seconds, show the subject within 10 seconds, '
             || 'avoid jargon, keep the pacing brisk, and end on a clear call to action with the website '
             || 'on screen for at least 2 seconds. Reuse the brand colors for titles and lower thirds.')`;
}

/** `scriptsPerTask` versions of a ~2 KB script for every task of `seed_tasks`. */
export async function insertChunkScripts(trx: Db, scriptsPerTask: number): Promise<void> {
  // repeat() of a topic-dependent scene is the cheap way to ~2 KB of text
  // that still reads like a script (8 scenes of ~230 characters).
  await sql`
    insert into scripts (task_id, version, title, content, created_at)
    select t.id, v,
           t.topic || ': ' || ${pick(SCRIPT_TITLES, sql`v - 1`)},
           t.topic || E'\n\nVersion ' || v || E'. Narrated, 8 scenes.\n\n'
             || repeat('SCENE. ' || ${pick(STYLES, sql`t.ordinal + v`)} || ' visuals. NARRATOR: ' || t.topic
                       || E' is simpler than it looks. Here is what matters, step by step, and why it works. '
                       || E'ON SCREEN: the key idea as a short title, then a close-up that shows it.\n\n', 8),
           t.created_at + make_interval(mins => v * 2)
    from seed_tasks as t cross join generate_series(1, ${scriptsPerTask}::integer) as v`.execute(trx);
}
