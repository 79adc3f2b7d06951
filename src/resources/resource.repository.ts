import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { camelCaseOf } from '../db/connect.js';
import type { Db } from '../db/database.js';
import { findTaskChildrenByIds } from '../db/task-children.js';
import { findPagesPerParent, quoteIdentifier, type PerParentPageKey } from '../db/per-parent-pages.js';
import type { ResourceKind, ResourceRow } from './resource.table.js';

/** A resource as the API serves it: size_bytes is int8, which pg returns as a string. */
export type Resource = Omit<ResourceRow, 'sizeBytes'> & { sizeBytes: number | null };

const toResource = (row: ResourceRow): Resource => ({ ...row, sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes) });

/** Columns of a resource and their fields, in one order. */
const RESOURCE_FIELDS = [
  ['id', 'id'],
  ['task_id', 'taskId'],
  ['kind', 'kind'],
  ['url', 'url'],
  ['mime_type', 'mimeType'],
  ['size_bytes', 'sizeBytes'],
  ['width', 'width'],
  ['height', 'height'],
  ['duration_seconds', 'durationSeconds'],
  ['created_at', 'createdAt'],
] as const;

/** Every column of a resource, in one order. */
export const RESOURCE_COLUMNS: readonly string[] = RESOURCE_FIELDS.map(([column]) => column);

/** The columns each Resource field reads, where it is not the field's own column. */
const RESOURCE_FIELD_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(RESOURCE_FIELDS.map(([column, field]) => [field, [column]])),
  task: ['task_id'],
  __typename: [],
};

/**
 * The columns that reading `fields` of a resource needs, in RESOURCE_COLUMNS'
 * order, `id` always (it tells a joined resource from none). A field this
 * table does not know (one added to the type later) needs every column.
 */
export function resourceColumnsFor(fields: Iterable<string>): readonly string[] {
  const needed = new Set(['id']);
  for (const field of fields) {
    const columns = RESOURCE_FIELD_COLUMNS[field];
    if (columns === undefined) return RESOURCE_COLUMNS;
    for (const column of columns) needed.add(column);
  }
  return RESOURCE_COLUMNS.filter((column) => needed.has(column));
}

/**
 * The columns of a resource joined as `alias` (all, or `columns`), for a
 * statement that reads resources beside other rows (a storyboard's image),
 * each selected as the field name of `<prefix>_<column>` (`imageResourceUrl`):
 * such rows come back without Kysely's renaming (src/db/per-parent-pages.ts).
 * Plain columns, not to_jsonb(alias): PostgreSQL looks up every column's output
 * function on every to_jsonb call, which made it most of the task tree's time.
 */
export function joinedResourceColumns(alias: string, prefix: string, columns: readonly string[] = RESOURCE_COLUMNS): RawBuilder<unknown> {
  // One piece of text, not a reference per column: a caller keeps it for every statement of its shape.
  return sql.raw(columns.map((column) => `${quoteIdentifier(alias)}.${quoteIdentifier(column)} as ${quoteIdentifier(camelCaseOf(`${prefix}_${column}`))}`).join(', '));
}

/**
 * Reads back what joinedResourceColumns selected under `prefix`: the resource,
 * or null where the left join found none. Columns it did not select stay undefined.
 */
export function joinedResourceReader(prefix: string): (row: Record<string, unknown>) => Resource | null {
  const key = Object.fromEntries(RESOURCE_FIELDS.map(([column, field]) => [field, camelCaseOf(`${prefix}_${column}`)])) as {
    [F in (typeof RESOURCE_FIELDS)[number][1]]: string;
  };
  // One object literal per resource (one shape, one allocation): a task tree reads hundreds.
  return (row) => {
    const id = row[key.id] as string | null | undefined;
    if (id === null || id === undefined) return null;
    const sizeBytes = row[key.sizeBytes] as string | number | null | undefined;
    return {
      id,
      taskId: row[key.taskId] as string,
      kind: row[key.kind] as ResourceRow['kind'],
      url: row[key.url] as string,
      mimeType: row[key.mimeType] as string,
      sizeBytes: sizeBytes == null ? (sizeBytes as null) : Number(sizeBytes),
      width: row[key.width] as number | null,
      height: row[key.height] as number | null,
      durationSeconds: row[key.durationSeconds] as number | null,
      createdAt: row[key.createdAt] as Date,
    };
  };
}

export async function findResourcesByIds(db: Db, viewerId: string, ids: readonly string[]): Promise<Resource[]> {
  const rows = await findTaskChildrenByIds(db, 'resources', viewerId, ids);
  return rows.map(toResource);
}

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
      columns: RESOURCE_COLUMNS,
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
