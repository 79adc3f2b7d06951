import { sql, type RawBuilder } from 'kysely';
import type { Db } from './database.js';
import { camelCaseOf, withoutCamelCase } from './connect.js';
import { markedAsReads } from './replicas/read-mark.js';
import { loadInGroups } from '../loader-utils.js';

/** The PostgreSQL type of the sort column a nested list pages on (its tiebreaker is always `id`). */
export type SortColumnType = 'integer' | 'timestamptz';

export interface PerParentPageSpec {
  readonly table: 'storyboards' | 'messages' | 'scripts' | 'resources' | 'conversations';
  readonly parentColumn: string;
  /** The selected columns, snake_case as in SQL. */
  readonly columns: readonly string[];
  /**
   * Of `columns`, the timestamptz ones answered as PostgreSQL writes them
   * (TimestampText, src/db/timestamps.ts), never parsed into a Date. Not the
   * sort column of a spec with `joins`: its outer ORDER BY would sort the text.
   */
  readonly textTimestamps?: readonly string[];
  readonly sortColumn: string;
  readonly sortType: SortColumnType;
  /**
   * Rows joined to each row of a page (by primary key, say), on `page`, and what
   * of them to select: joined after each parent's LIMIT, so a parent with many
   * children never joins more rows than its page holds. The page's columns
   * are named as fields there (`page."videoId"`).
   */
  readonly joins?: RawBuilder<unknown>;
  /** What of the joined rows to select, each already named as its camelCase field (`sql\`image.url as "imageUrl"\``). */
  readonly joinedColumns?: readonly RawBuilder<unknown>[];
  /** A condition every child must meet besides its parent (one kind of resource, the viewer's rows), on `child`. */
  readonly filter?: RawBuilder<unknown>;
}

export interface PerParentPageKey {
  readonly parentId: string;
  /** Rows to fetch for this parent: its page size plus one (the extra row says a next page exists). */
  readonly limit: number;
  /** Read newest/highest first (a `last`/`before` page). */
  readonly descending: boolean;
  /** The (sort value, id) the page starts after, in the page's own direction. */
  readonly after?: readonly [Date | number, string] | undefined;
}

// Sentinels that sort before (or after) every real row, so that "no cursor"
// is still a plain row comparison that PostgreSQL can use as an index bound.
const LOWEST: Record<SortColumnType, RawBuilder<unknown>> = {
  integer: sql`(-2147483648)::integer`,
  timestamptz: sql`'-infinity'::timestamptz`,
};
const HIGHEST: Record<SortColumnType, RawBuilder<unknown>> = {
  integer: sql`(2147483647)::integer`,
  timestamptz: sql`'infinity'::timestamptz`,
};
const LOWEST_UUID = sql`'00000000-0000-0000-0000-000000000000'::uuid`;
const HIGHEST_UUID = sql`'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid`;

/**
 * One page of children for each of many parents in ONE statement: the keys
 * are unnested WITH ORDINALITY and joined LATERAL to a subquery that walks the
 * (parent, sort, id) index and stops after that key's LIMIT. Every key carries
 * its own limit and cursor, so a batch costs one statement per direction, never
 * one per parent. Answers each key's rows in page order.
 *
 * Without `joins` the statement has no outer ORDER BY: a LATERAL subquery can
 * only be joined by a nested loop, which answers each key's rows as its
 * subquery's ORDER BY ... LIMIT hands them over, and the rows are grouped by
 * page_ordinal here. An outer ORDER BY would only sort them again (an
 * Incremental Sort copying every row: ~0.12 ms of a W4 message statement's
 * ~0.33 ms executor time, measured). Joined rows keep it: the planner may hash
 * that join, which answers rows in any order.
 */
export function findPagesPerParent<R>(db: Db, spec: PerParentPageSpec, keys: readonly PerParentPageKey[]): Promise<R[][]> {
  return loadInGroups(keys, [false, true], (key) => key.descending, (sameDirection, descending) => pagesOf<R>(db, spec, sameDirection, descending));
}

/** The pages of keys of one direction, from one statement, aligned with `keys`. */
async function pagesOf<R>(db: Db, spec: PerParentPageSpec, keys: readonly PerParentPageKey[], descending: boolean): Promise<R[][]> {
  const pages: R[][] = keys.map(() => []);
  const parentField = parentFieldOf(spec);
  const rows = await queryPages<R & { pageOrdinal: number }>(db, spec, keys, descending);
  // The parent column is not read back: each row is given its key's parent id
  // (as PostgreSQL wrote it when the parent row was read), which saves pg a
  // uuid to decode per row. Each row keeps its pageOrdinal: copying 400 rows
  // to drop one number cost more than carrying it.
  for (const row of rows) {
    const position = row.pageOrdinal - 1;
    if (parentField !== undefined) (row as Record<string, unknown>)[parentField] = keys[position]!.parentId;
    pages[position]!.push(row);
  }
  return pages;
}

const selectLists = new WeakMap<readonly string[], Map<string, RawBuilder<unknown>>>();

/**
 * `"child"."first_frame_image_id" as "firstFrameImageId", ...`: columns come back
 * under their field names, so rows need no second copy with renamed keys
 * (Kysely's CamelCasePlugin would make one per row: a task tree reads hundreds
 * of rows). Written once per column list, as one piece of text: built from a
 * reference per column on every call, it was ~6 % of a task tree's CPU (perf, W3).
 */
function selectListOf(spec: PerParentPageSpec): RawBuilder<unknown> {
  const { columns, parentColumn, textTimestamps = [] } = spec;
  let byParent = selectLists.get(columns);
  if (byParent === undefined) selectLists.set(columns, (byParent = new Map()));
  const variant = `${parentColumn} ${textTimestamps.join(' ')}`;
  let list = byParent.get(variant);
  if (list === undefined) {
    const read = columns.filter((column) => column !== parentColumn);
    const expression = (column: string) => `"child".${quoteIdentifier(column)}${textTimestamps.includes(column) ? '::text' : ''}`;
    list = sql.raw(read.map((column) => `${expression(column)} as ${quoteIdentifier(camelCaseOf(column))}`).join(', '));
    byParent.set(variant, list);
  }
  return list;
}

/** The field the parent column is answered under, when the spec asks for it (findPagesPerParent fills it in). */
function parentFieldOf(spec: PerParentPageSpec): string | undefined {
  return spec.columns.includes(spec.parentColumn) ? camelCaseOf(spec.parentColumn) : undefined;
}

/** An identifier as PostgreSQL reads it quoted: the name as written, any `"` doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function queryPages<R>(db: Db, spec: PerParentPageSpec, keys: readonly PerParentPageKey[], descending: boolean) {
  const sort = sql.ref(`child.${spec.sortColumn}`);
  const [sortSentinel, idSentinel] = descending ? [HIGHEST[spec.sortType], HIGHEST_UUID] : [LOWEST[spec.sortType], LOWEST_UUID];
  const direction = sql.raw(descending ? 'desc' : 'asc');
  const comparison = sql.raw(descending ? '<' : '>');
  const sortArray = sql.raw(`${spec.sortType}[]`);
  return sql<R>`
    select ${sql.join([sql`page.*`, ...(spec.joinedColumns ?? []), sql`k.page_ordinal::integer as "pageOrdinal"`])}
    from unnest(${keys.map((k) => k.parentId)}::uuid[], ${keys.map((k) => k.limit)}::integer[],
                ${keys.map((k) => k.after?.[0] ?? null)}::${sortArray}, ${keys.map((k) => k.after?.[1] ?? null)}::uuid[])
         with ordinality as k(parent_id, row_limit, after_sort, after_id, page_ordinal)
    cross join lateral (
      select ${selectListOf(spec)}
      from ${sql.table(spec.table)} as child
      where ${sql.ref(`child.${spec.parentColumn}`)} = k.parent_id ${spec.filter ? sql`and ${spec.filter}` : sql``}
        and (${sort}, child.id) ${comparison} (coalesce(k.after_sort, ${sortSentinel}), coalesce(k.after_id, ${idSentinel}))
      order by ${sort} ${direction}, child.id ${direction}
      limit k.row_limit
    ) as page ${spec.joins ?? sql``}
    ${spec.joins ? sql`order by k.page_ordinal, ${sql.ref(`page.${camelCaseOf(spec.sortColumn)}`)} ${direction}, page.id ${direction}` : sql``}`
    // Raw text, but only ever a read: a replica may answer it (./replicas/read-mark.ts).
    .execute(markedAsReads(withoutCamelCase(db)))
    .then((result) => result.rows);
}
