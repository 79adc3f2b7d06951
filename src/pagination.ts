import { ApiError, ErrorCode, badInput } from './errors.js';
import type { ConnectionSelection } from './execution/look-ahead.js';
import { parseId } from './ids.js';

/** Largest page a client may ask for, per connection and per nested list. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
/** Offsets make PostgreSQL walk and discard every skipped row; past this, cursors are the answer. */
export const MAX_OFFSET = 10_000;

/** The position of a row in a keyset order: its sort values, last of all its id. */
export type CursorValues = readonly (string | number)[];

/**
 * Cursors are opaque to clients: base64url of the connection's name and the
 * row's sort key. The name stops a task cursor from being replayed against
 * messages, where the same shape would mean something else.
 */
export function encodeCursor(kind: string, values: CursorValues): string {
  return Buffer.from(JSON.stringify([kind, ...values])).toString('base64url');
}

/**
 * What each value of a cursor must be: any string, a finite number, an id
 * (answered canonical, src/ids.ts), an instant (epoch ms in CURSOR_TIME_RANGE_MS)
 * or a position (an integer column's value, from 0).
 */
export type CursorValueKind = 'string' | 'number' | 'id' | 'time' | 'position';

/**
 * The instants a cursor may carry, in epoch ms: years 1 to 9999. PostgreSQL's
 * timestamptz holds more (4713 BC to 294276 AD), but both drivers send a Date
 * as ISO text, which PGlite cannot read outside these years. Every row the API
 * stamps is inside; a cursor outside would fail the one statement that a batch
 * of pages shares, so it is refused here, as its own argument's error.
 */
const CURSOR_TIME_RANGE_MS = [Date.parse('0001-01-01T00:00:00.000Z'), Date.parse('9999-12-31T23:59:59.999Z')] as const;
/** Positions are integer columns (never negative): a cursor past int4 would fail the whole batch's statement. */
const MAX_POSITION = 2_147_483_647;

/** The one decoder of every list's cursors. `argument` (after, before) is named in the error's extensions. */
export function decodeCursor(kind: string, cursor: string, shape: readonly CursorValueKind[], argument?: string): CursorValues {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor(argument);
  }
  if (!Array.isArray(parsed) || parsed[0] !== kind || parsed.length !== shape.length + 1) throw invalidCursor(argument);
  return parsed.slice(1).map((value: unknown, i) => {
    const decoded = decodeValue(shape[i]!, value);
    if (decoded === undefined) throw invalidCursor(argument);
    return decoded;
  });
}

function decodeValue(kind: CursorValueKind, value: unknown): string | number | undefined {
  if (kind === 'id') return typeof value === 'string' ? parseId(value) : undefined;
  if (kind === 'string') return typeof value === 'string' ? value : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (kind === 'time') return value >= CURSOR_TIME_RANGE_MS[0] && value <= CURSOR_TIME_RANGE_MS[1] ? value : undefined;
  if (kind === 'position') return Number.isInteger(value) && value >= 0 && value <= MAX_POSITION ? value : undefined;
  return value;
}

const invalidCursor = (argument?: string) =>
  badInput('The cursor is not valid for this list; pass a cursor this list returned', argument === undefined ? undefined : { argument });

/** A (timestamp, id) cursor of a keyset list, back as the row position it names. */
export function decodeTimeCursor(kind: string, cursor: string, argument: string): { readonly at: Date; readonly id: string } {
  const [ms, id] = decodeCursor(kind, cursor, ['time', 'id'], argument) as [number, string];
  return { at: new Date(ms), id };
}

export interface ForwardPageArgs {
  readonly first?: number | null | undefined;
  readonly after?: string | null | undefined;
}

export interface BidirectionalPageArgs extends ForwardPageArgs {
  readonly last?: number | null | undefined;
  readonly before?: string | null | undefined;
}

/**
 * `first`/`last` checked once, for every connection. Page arguments are
 * checked here rather than by class-validator: the argument classes of lists
 * opt out of type-graphql's validation, which would cost an async pass per
 * nested list field (20 of them in one task tree).
 */
export function pageSize(requested: number | null | undefined, argument = 'first', defaultSize = DEFAULT_PAGE_SIZE): number {
  if (requested === null || requested === undefined) return defaultSize;
  if (!Number.isInteger(requested) || requested < 0) throw badInput(`${argument} must be a whole number from 0 to ${MAX_PAGE_SIZE}`);
  if (requested > MAX_PAGE_SIZE) {
    throw new ApiError(ErrorCode.PAGE_TOO_LARGE, `${argument} may be at most ${MAX_PAGE_SIZE}; page through with cursors`, {
      max: MAX_PAGE_SIZE,
    });
  }
  return requested;
}

export function checkOffset(offset: number | null | undefined): number {
  if (offset === null || offset === undefined) return 0;
  if (!Number.isInteger(offset) || offset < 0) throw badInput('offset must be a whole number from 0');
  if (offset > MAX_OFFSET) {
    throw new ApiError(
      ErrorCode.OFFSET_TOO_LARGE,
      `offset may be at most ${MAX_OFFSET}; deeper pages are served by cursors: pass the endCursor of the previous page as after`,
      { max: MAX_OFFSET },
    );
  }
  return offset;
}

/** Which way a page is read: forward from `after`, or backward from `before` (last N). */
export interface PageWindow {
  readonly limit: number;
  readonly backward: boolean;
  readonly cursor: string | undefined;
}

export function pageWindow(args: BidirectionalPageArgs): PageWindow {
  const hasForward = args.first != null || args.after != null;
  const hasBackward = args.last != null || args.before != null;
  if (hasForward && hasBackward) throw badInput('Use first/after or last/before, not both');
  if (hasBackward) return { limit: pageSize(args.last, 'last'), backward: true, cursor: args.before ?? undefined };
  return { limit: pageSize(args.first), backward: false, cursor: args.after ?? undefined };
}

export interface Edge<T> {
  readonly cursor: string;
  readonly node: T;
}

export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

export interface Connection<T> {
  readonly edges: readonly Edge<T>[];
  readonly nodes: readonly T[];
  readonly pageInfo: PageInfo;
}

/**
 * The rows a page of `limit` reads: one more only when the query asks for
 * hasNextPage or hasPreviousPage, which that row answers (another page exists).
 * A list of 20 pages of 10 that asks neither reads 200 rows, not 220.
 */
export function rowsToRead(limit: number, selection: Pick<ConnectionSelection, 'pagePosition'>): number {
  return selection.pagePosition ? limit + 1 : limit;
}

/**
 * Builds a connection from rows fetched with LIMIT rowsToRead(window.limit): an
 * extra row only says that another page exists. Backward windows are fetched in
 * reverse order and turned around here. Edges and cursors are made only when
 * read: most clients ask for `nodes`, and a cursor is a JSON text in base64.
 */
export function toConnection<T>(
  rows: readonly T[],
  window: Pick<PageWindow, 'limit' | 'backward'> & { readonly hasCursor: boolean },
  cursorOf: (row: T) => string,
): Connection<T> {
  const hasMore = rows.length > window.limit;
  const page = rows.length > window.limit ? rows.slice(0, window.limit) : [...rows];
  if (window.backward) page.reverse();
  return new PageConnection(page, cursorOf, {
    hasNextPage: window.backward ? window.hasCursor : hasMore,
    hasPreviousPage: window.backward ? hasMore : window.hasCursor,
  });
}

class PageConnection<T> implements Connection<T> {
  private madeEdges: readonly Edge<T>[] | undefined;

  constructor(
    readonly nodes: readonly T[],
    private readonly cursorOf: (row: T) => string,
    private readonly position: Pick<PageInfo, 'hasNextPage' | 'hasPreviousPage'>,
  ) {}

  get edges(): readonly Edge<T>[] {
    return (this.madeEdges ??= this.nodes.map((node) => lazyEdge(node, this.cursorOf)));
  }

  get pageInfo(): PageInfo {
    const { nodes, cursorOf } = this;
    return {
      ...this.position,
      get startCursor() {
        return nodes.length === 0 ? null : cursorOf(nodes[0]!);
      },
      get endCursor() {
        return nodes.length === 0 ? null : cursorOf(nodes.at(-1)!);
      },
    };
  }
}

/** An edge whose cursor is encoded when read (a plain object: it compares and prints as one). */
function lazyEdge<T>(node: T, cursorOf: (row: T) => string): Edge<T> {
  return {
    node,
    get cursor() {
      return cursorOf(node);
    },
  };
}
