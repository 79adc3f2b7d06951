import { describe, it, expect } from 'vitest';
import { GraphQLError } from 'graphql';
import {
  DEFAULT_PAGE_SIZE,
  MAX_OFFSET,
  MAX_PAGE_SIZE,
  checkOffset,
  decodeCursor,
  encodeCursor,
  pageSize,
  pageWindow,
  toConnection,
} from '../../src/pagination.js';

/** The extensions.code of the GraphQLError that run throws; fails the test if it throws nothing else. */
function codeOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return (error as GraphQLError).extensions.code;
  }
  throw new Error('expected a GraphQLError');
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');

describe('encodeCursor and decodeCursor', () => {
  it('round-trips the sort values of a row', () => {
    const cursor = encodeCursor('tasks', ['2024-05-01T10:00:00.000Z', 42, '9f1c2b7e-0000-4000-8000-000000000001']);
    expect(decodeCursor('tasks', cursor, ['string', 'number', 'string'])).toEqual([
      '2024-05-01T10:00:00.000Z',
      42,
      '9f1c2b7e-0000-4000-8000-000000000001',
    ]);
  });

  it('produces a URL-safe opaque string', () => {
    const cursor = encodeCursor('tasks', ['??>>~~', 1]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('rejects a cursor of another kind', () => {
    const cursor = encodeCursor('tasks', ['abc']);
    expect(codeOf(() => decodeCursor('messages', cursor, ['string']))).toBe('BAD_USER_INPUT');
  });

  it('rejects garbage', () => {
    for (const cursor of ['', 'not a cursor', '!!!', base64url('{"a":1}'), base64url('"tasks"'), base64url('[')]) {
      expect(codeOf(() => decodeCursor('tasks', cursor, ['string'])), cursor).toBe('BAD_USER_INPUT');
    }
  });

  it('answers an id value canonical, and rejects one PostgreSQL’s uuid would refuse', () => {
    const id = 'c232ab00-9414-11ec-b3c8-9f68deed7a5e';
    expect(decodeCursor('tasks', encodeCursor('tasks', [1, id.toUpperCase()]), ['number', 'id'])).toEqual([1, id]);
    for (const bad of ['x', `${id} `, 7]) {
      expect(codeOf(() => decodeCursor('tasks', base64url(JSON.stringify(['tasks', 1, bad])), ['number', 'id'])), String(bad)).toBe('BAD_USER_INPUT');
    }
  });

  it('rejects a cursor with too few or too many values', () => {
    const cursor = encodeCursor('tasks', ['a', 1]);
    expect(codeOf(() => decodeCursor('tasks', cursor, ['string']))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor('tasks', cursor, ['string', 'number', 'string']))).toBe('BAD_USER_INPUT');
  });

  it('rejects a cursor whose values have the wrong types', () => {
    const cursor = encodeCursor('tasks', ['a', 1]);
    expect(codeOf(() => decodeCursor('tasks', cursor, ['number', 'string']))).toBe('BAD_USER_INPUT');
    const withNull = base64url(JSON.stringify(['tasks', null, 1]));
    expect(codeOf(() => decodeCursor('tasks', withNull, ['string', 'number']))).toBe('BAD_USER_INPUT');
  });

  it('takes a position that fits an integer column from 0, and refuses one that does not', () => {
    const id = '9f1c2b7e-0000-4000-8000-000000000001';
    expect(decodeCursor('storyboard', encodeCursor('storyboard', [2_147_483_647, id]), ['position', 'id'])).toEqual([2_147_483_647, id]);
    for (const bad of [-1, 1.5, 2_147_483_648]) {
      expect(codeOf(() => decodeCursor('storyboard', encodeCursor('storyboard', [bad, id]), ['position', 'id'])), String(bad)).toBe('BAD_USER_INPUT');
    }
  });

  it('takes an instant within years 1 to 9999, and refuses one outside', () => {
    const id = '9f1c2b7e-0000-4000-8000-000000000001';
    const instant = Date.parse('2024-05-01T10:00:00.000Z');
    expect(decodeCursor('task', encodeCursor('task', [instant, id]), ['time', 'id'])).toEqual([instant, id]);
    for (const bad of [Date.parse('9999-12-31T23:59:59.999Z') + 1, Date.parse('0001-01-01T00:00:00.000Z') - 1]) {
      expect(codeOf(() => decodeCursor('task', encodeCursor('task', [bad, id]), ['time', 'id'])), String(bad)).toBe('BAD_USER_INPUT');
    }
  });

  it('names the argument of a refused cursor', () => {
    const error = (() => {
      try {
        decodeCursor('task', 'not a cursor', ['time', 'id'], 'before');
      } catch (caught) {
        return caught as GraphQLError;
      }
    })();
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'before' });
  });
});

describe('pageSize', () => {
  it('defaults to 20 when nothing is asked for', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(null)).toBe(20);
  });

  it('accepts 0 and the maximum of 100', () => {
    expect(MAX_PAGE_SIZE).toBe(100);
    expect(pageSize(0)).toBe(0);
    expect(pageSize(100)).toBe(100);
  });

  it('answers PAGE_TOO_LARGE above 100', () => {
    expect(codeOf(() => pageSize(101))).toBe('PAGE_TOO_LARGE');
  });

  it('answers BAD_USER_INPUT for negative and non-integer sizes', () => {
    for (const size of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(codeOf(() => pageSize(size)), String(size)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('checkOffset', () => {
  it('defaults to 0 and accepts up to 10,000', () => {
    expect(MAX_OFFSET).toBe(10_000);
    expect(checkOffset(undefined)).toBe(0);
    expect(checkOffset(null)).toBe(0);
    expect(checkOffset(0)).toBe(0);
    expect(checkOffset(10_000)).toBe(10_000);
  });

  it('answers OFFSET_TOO_LARGE above 10,000', () => {
    expect(codeOf(() => checkOffset(10_001))).toBe('OFFSET_TOO_LARGE');
  });

  it('answers BAD_USER_INPUT for negative and non-integer offsets', () => {
    expect(codeOf(() => checkOffset(-1))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => checkOffset(2.5))).toBe('BAD_USER_INPUT');
  });
});

describe('pageWindow', () => {
  it('reads forward with the default size when no argument is given', () => {
    expect(pageWindow({})).toEqual({ limit: 20, backward: false, cursor: undefined });
  });

  it('reads forward from after', () => {
    expect(pageWindow({ first: 5, after: 'c1' })).toEqual({ limit: 5, backward: false, cursor: 'c1' });
  });

  it('reads backward from before', () => {
    expect(pageWindow({ last: 5, before: 'c1' })).toEqual({ limit: 5, backward: true, cursor: 'c1' });
    expect(pageWindow({ last: 5 })).toEqual({ limit: 5, backward: true, cursor: undefined });
    expect(pageWindow({ before: 'c1' })).toEqual({ limit: 20, backward: true, cursor: 'c1' });
  });

  it('ignores arguments passed as null', () => {
    expect(pageWindow({ first: null, after: null, last: 3, before: null })).toEqual({ limit: 3, backward: true, cursor: undefined });
  });

  it('answers BAD_USER_INPUT when forward and backward arguments are mixed', () => {
    expect(codeOf(() => pageWindow({ first: 5, last: 5 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageWindow({ after: 'c1', before: 'c2' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageWindow({ first: 5, before: 'c2' }))).toBe('BAD_USER_INPUT');
  });

  it('checks last like first', () => {
    expect(codeOf(() => pageWindow({ last: 101 }))).toBe('PAGE_TOO_LARGE');
    expect(codeOf(() => pageWindow({ last: -1 }))).toBe('BAD_USER_INPUT');
  });
});

describe('toConnection', () => {
  const cursorOf = (row: { id: number }) => `c${row.id}`;
  const rows = (...ids: number[]) => ids.map((id) => ({ id }));

  it('says there is a next page when limit + 1 rows came back, and drops the extra row', () => {
    const connection = toConnection(rows(1, 2, 3, 4), { limit: 3, backward: false, hasCursor: false }, cursorOf);
    expect(connection.nodes).toEqual(rows(1, 2, 3));
    expect(connection.edges).toEqual([
      { cursor: 'c1', node: { id: 1 } },
      { cursor: 'c2', node: { id: 2 } },
      { cursor: 'c3', node: { id: 3 } },
    ]);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: 'c1', endCursor: 'c3' });
  });

  it('says there is no next page when limit rows or fewer came back', () => {
    const connection = toConnection(rows(1, 2, 3), { limit: 3, backward: false, hasCursor: false }, cursorOf);
    expect(connection.nodes).toEqual(rows(1, 2, 3));
    expect(connection.pageInfo.hasNextPage).toBe(false);
  });

  it('says there is a previous page when reading forward from a cursor', () => {
    const connection = toConnection(rows(4, 5), { limit: 3, backward: false, hasCursor: true }, cursorOf);
    expect(connection.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: 'c4', endCursor: 'c5' });
  });

  it('turns a backward window around and says there is a previous page when limit + 1 rows came back', () => {
    // Fetched nearest-first, walking back from the cursor: 6, 5, 4 and one more.
    const connection = toConnection(rows(6, 5, 4, 3), { limit: 3, backward: true, hasCursor: true }, cursorOf);
    expect(connection.nodes).toEqual(rows(4, 5, 6));
    expect(connection.edges.map((edge) => edge.cursor)).toEqual(['c4', 'c5', 'c6']);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: true, startCursor: 'c4', endCursor: 'c6' });
  });

  it('says a backward window from the end has no next page and, when short, no previous page', () => {
    const connection = toConnection(rows(2, 1), { limit: 3, backward: true, hasCursor: false }, cursorOf);
    expect(connection.nodes).toEqual(rows(1, 2));
    expect(connection.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: 'c1', endCursor: 'c2' });
  });

  it('gives an empty page null cursors', () => {
    const connection = toConnection([], { limit: 3, backward: false, hasCursor: false }, cursorOf);
    expect(connection.edges).toEqual([]);
    expect(connection.nodes).toEqual([]);
    expect(connection.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('gives a page of size 0 null cursors but still says whether rows exist', () => {
    const connection = toConnection(rows(1), { limit: 0, backward: false, hasCursor: false }, cursorOf);
    expect(connection.nodes).toEqual([]);
    expect(connection.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null });
  });

  it('does not reorder the rows it was given', () => {
    const fetched = rows(3, 2, 1);
    toConnection(fetched, { limit: 3, backward: true, hasCursor: false }, cursorOf);
    expect(fetched).toEqual(rows(3, 2, 1));
  });
});
