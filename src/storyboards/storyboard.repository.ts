import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { findTaskChildrenByIds } from '../db/task-children.js';
import { findPagesPerParent, type PerParentPageKey, type PerParentPageSpec } from '../db/per-parent-pages.js';
import { type Resource, joinedResourceColumns, joinedResourceReader } from '../resources/resource.repository.js';
import { projectionKey, type StoryboardProjection } from './storyboard.projection.js';
import type { StoryboardRow } from './storyboard.table.js';

export function findStoryboardsByIds(db: Db, viewerId: string, ids: readonly string[]): Promise<StoryboardRow[]> {
  return findTaskChildrenByIds(db, 'storyboards', viewerId, ids);
}

/**
 * A storyboard of a page, with its media read in the same statement (undefined
 * where the page did not join them). Columns its projection left out are undefined.
 */
export type StoryboardWithMedia = StoryboardRow & { firstFrameImage: Resource | null | undefined; video: Resource | null | undefined };

/** A page of one task's storyboards, and what to read of them (./storyboard.projection.ts). */
export type StoryboardPageKey = PerParentPageKey & { readonly projection: StoryboardProjection };

/**
 * A page of storyboards per task, in (sequence_number, id) order, for every
 * task in one statement per projection (one, in practice), each with the
 * media it asks for joined by primary key: the task tree needs no separate
 * lookup of hundreds of resources, and reads no column it does not answer.
 */
export async function findStoryboardPages(db: Db, keys: readonly StoryboardPageKey[]): Promise<StoryboardWithMedia[][]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, position) => {
    const id = projectionKey(key.projection);
    const group = groups.get(id);
    if (group) group.push(position);
    else groups.set(id, [position]);
  });
  const pages: StoryboardWithMedia[][] = keys.map(() => []);
  await Promise.all(
    [...groups.values()].map(async (positions) => {
      const { projection } = keys[positions[0]!]!;
      const found = await findPagesPerParent<StoryboardRow & Record<string, unknown>>(
        db,
        pageSpec(projection),
        positions.map((position) => keys[position]!),
      );
      positions.forEach((position, index) => (pages[position] = found[index]!.map((row) => withMedia(row, projection))));
    }),
  );
  return pages;
}

// One statement shape per projection, made once: projections are themselves made once per query (./storyboard.projection.ts).
const pageSpecs = new WeakMap<StoryboardProjection, PerParentPageSpec>();

function pageSpec(projection: StoryboardProjection): PerParentPageSpec {
  let spec = pageSpecs.get(projection);
  if (spec === undefined) {
    spec = makePageSpec(projection);
    pageSpecs.set(projection, spec);
  }
  return spec;
}

function makePageSpec(projection: StoryboardProjection): PerParentPageSpec {
  // The page's columns are named as fields (src/db/per-parent-pages.ts).
  const joins = [
    ...(projection.image ? [sql`left join resources as image on image.id = page."firstFrameImageId"`] : []),
    ...(projection.video ? [sql`left join resources as video on video.id = page."videoId"`] : []),
  ];
  return {
    table: 'storyboards',
    parentColumn: 'task_id',
    columns: projection.columns,
    sortColumn: 'sequence_number',
    sortType: 'integer',
    ...(joins.length > 0 ? { joins: sql.join(joins, sql` `) } : {}),
    joinedColumns: [
      ...(projection.image ? [joinedResourceColumns('image', 'image_resource', projection.image)] : []),
      ...(projection.video ? [joinedResourceColumns('video', 'video_resource', projection.video)] : []),
    ],
  };
}

const readImage = joinedResourceReader('image_resource');
const readVideo = joinedResourceReader('video_resource');

function withMedia(row: StoryboardRow & Record<string, unknown>, projection: StoryboardProjection): StoryboardWithMedia {
  const storyboard: StoryboardWithMedia = {
    id: row.id,
    taskId: row.taskId,
    sequenceNumber: row.sequenceNumber,
    description: row.description,
    prompt: row.prompt,
    durationSeconds: row.durationSeconds,
    firstFrameImageId: row.firstFrameImageId,
    videoId: row.videoId,
    createdAt: row.createdAt,
    firstFrameImage: projection.image ? readImage(row) : undefined,
    video: projection.video ? readVideo(row) : undefined,
  };
  return storyboard;
}

export interface NewStoryboard {
  readonly sequenceNumber: number;
  readonly description: string;
  readonly prompt: string;
  readonly durationSeconds: number;
}

/** Adds storyboards to one of the viewer's tasks in one statement (no rows: not the viewer's task). */
export async function insertStoryboards(db: Db, viewerId: string, taskId: string, items: readonly NewStoryboard[]): Promise<StoryboardRow[]> {
  const ids = items.map(() => randomUUID());
  const result = await sql<StoryboardRow>`
    insert into storyboards (id, task_id, sequence_number, description, prompt, duration_seconds)
    select input.id, t.id, input.sequence_number, input.description, input.prompt, input.duration_seconds
    from tasks t
    cross join unnest(${ids}::uuid[], ${items.map((i) => i.sequenceNumber)}::integer[], ${items.map((i) => i.description)}::text[],
                      ${items.map((i) => i.prompt)}::text[], ${items.map((i) => i.durationSeconds)}::float8[])
         as input(id, sequence_number, description, prompt, duration_seconds)
    where t.id = ${taskId} and t.user_id = ${viewerId}
    returning *`.execute(db);
  const byId = new Map(result.rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** undefined leaves a medium as it is; null removes it. */
export interface MediaChange {
  readonly firstFrameImageId?: string | null | undefined;
  readonly videoId?: string | null | undefined;
}

/**
 * Points a storyboard at its media, in one statement that also checks each
 * resource: it must exist, be of the right kind, and belong to the same task.
 * No row back means the storyboard or a resource failed a check.
 */
export async function updateStoryboardMedia(db: Db, viewerId: string, storyboardId: string, change: MediaChange): Promise<StoryboardRow | undefined> {
  const image = change.firstFrameImageId ?? null;
  const video = change.videoId ?? null;
  const result = await sql<StoryboardRow>`
    update storyboards s set
      first_frame_image_id = case when ${change.firstFrameImageId !== undefined} then ${image}::uuid else s.first_frame_image_id end,
      video_id = case when ${change.videoId !== undefined} then ${video}::uuid else s.video_id end
    from tasks t
    where s.id = ${storyboardId} and t.id = s.task_id and t.user_id = ${viewerId}
      and (${image}::uuid is null or exists (select 1 from resources r where r.id = ${image}::uuid and r.task_id = s.task_id and r.kind = 'image'))
      and (${video}::uuid is null or exists (select 1 from resources r where r.id = ${video}::uuid and r.task_id = s.task_id and r.kind = 'video'))
    returning s.*`.execute(db);
  return result.rows[0];
}
