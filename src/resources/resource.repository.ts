import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { findTaskChildrenByIds } from '../db/task-children.js';
import { findPagesPerParent, type PerParentPageKey } from '../db/per-parent-pages.js';
import type { ResourceKind, ResourceRow } from './resource.table.js';

/** A resource as the API serves it: size_bytes is int8, which pg returns as a string. */
export type Resource = Omit<ResourceRow, 'sizeBytes'> & { sizeBytes: number | null };

const toResource = (row: ResourceRow): Resource => ({ ...row, sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes) });

/** A resources row as `to_jsonb(resource)` gives it (snake_case, timestamps as text). */
export interface ResourceJson {
  readonly id: string;
  readonly task_id: string;
  readonly kind: ResourceRow['kind'];
  readonly url: string;
  readonly mime_type: string;
  readonly size_bytes: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly duration_seconds: number | null;
  readonly created_at: string;
}

export function resourceFromJson(json: ResourceJson): Resource {
  return {
    id: json.id,
    taskId: json.task_id,
    kind: json.kind,
    url: json.url,
    mimeType: json.mime_type,
    sizeBytes: json.size_bytes,
    width: json.width,
    height: json.height,
    durationSeconds: json.duration_seconds,
    createdAt: new Date(json.created_at),
  };
}

export async function findResourcesByIds(db: Db, viewerId: string, ids: readonly string[]): Promise<Resource[]> {
  const rows = await findTaskChildrenByIds(db, 'resources', viewerId, ids);
  return rows.map(toResource);
}

const PAGE_COLUMNS = ['id', 'task_id', 'kind', 'url', 'mime_type', 'size_bytes', 'width', 'height', 'duration_seconds', 'created_at'];

/**
 * The oldest N resources of each task, optionally of one kind
 * (idx_resources_task_kind_created_id), for every task in one statement.
 */
export async function findResourcePages(db: Db, keys: readonly PerParentPageKey[], kind: ResourceKind | undefined): Promise<Resource[][]> {
  const pages = await findPagesPerParent<ResourceRow>(
    db,
    {
      table: 'resources',
      parentColumn: 'task_id',
      columns: PAGE_COLUMNS,
      sortColumn: 'created_at',
      sortType: 'timestamptz',
      ...(kind ? { filter: sql`child.kind = ${kind}::resource_kind` } : {}),
    },
    keys,
  );
  return pages.map((rows) => rows.map(toResource));
}

export interface NewResource {
  readonly kind: ResourceKind;
  readonly url: string;
  readonly mimeType: string;
  readonly sizeBytes?: number | undefined;
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  readonly durationSeconds?: number | undefined;
}

/**
 * Adds resources to one of the viewer's tasks in one statement (no rows: the
 * task is not the viewer's). Ids are made here so the answer follows input order.
 */
export async function insertResources(db: Db, viewerId: string, taskId: string, items: readonly NewResource[]): Promise<Resource[]> {
  const ids = items.map(() => randomUUID());
  const column = <T>(pick: (item: NewResource) => T) => items.map((item) => pick(item) ?? null);
  const result = await sql<ResourceRow>`
    insert into resources (id, task_id, kind, url, mime_type, size_bytes, width, height, duration_seconds)
    select input.id, t.id, input.kind, input.url, input.mime_type, input.size_bytes, input.width, input.height, input.duration_seconds
    from tasks t
    cross join unnest(${ids}::uuid[], ${column((i) => i.kind)}::resource_kind[], ${column((i) => i.url)}::text[],
                      ${column((i) => i.mimeType)}::text[], ${column((i) => i.sizeBytes)}::bigint[], ${column((i) => i.width)}::integer[],
                      ${column((i) => i.height)}::integer[], ${column((i) => i.durationSeconds)}::float8[])
         as input(id, kind, url, mime_type, size_bytes, width, height, duration_seconds)
    where t.id = ${taskId} and t.user_id = ${viewerId}
    returning *`.execute(db);
  const byId = new Map(result.rows.map((row) => [row.id, toResource(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
