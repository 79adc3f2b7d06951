import { describe, it, expect } from 'vitest';
import { byKeys, createByIdLoader, groupByKeys } from '../../src/loader-utils.js';

const ID_1 = '0b6f4c8e-2a1d-4e5f-9a3b-1c2d3e4f5a61';
const ID_2 = '0b6f4c8e-2a1d-4e5f-9a3b-1c2d3e4f5a62';
const ID_3 = '0b6f4c8e-2a1d-4e5f-9a3b-1c2d3e4f5a63';

interface Row {
  readonly id: string;
  readonly title: string;
}

/** A fetch function backed by a table of rows, recording the ids of every call. */
function fakeFetch(table: readonly Row[]) {
  const calls: string[][] = [];
  const fetch = async (ids: string[]) => {
    calls.push(ids);
    return table.filter((row) => ids.includes(row.id));
  };
  return { fetch, calls };
}

describe('byKeys', () => {
  it('returns the rows in the order of the keys', () => {
    const rows = [
      { id: 'b', n: 2 },
      { id: 'a', n: 1 },
      { id: 'c', n: 3 },
    ];
    expect(byKeys(['a', 'b', 'c'], rows, (row) => row.id).map((row) => row?.n)).toEqual([1, 2, 3]);
  });

  it('answers null for a key without a row', () => {
    expect(byKeys(['a', 'missing'], [{ id: 'a' }], (row) => row.id)).toEqual([{ id: 'a' }, null]);
  });

  it('answers every occurrence of a repeated key with the same row', () => {
    const row = { id: 'a' };
    const aligned = byKeys(['a', 'b', 'a'], [row], (r) => r.id);
    expect(aligned).toEqual([row, null, row]);
    expect(aligned[0]).toBe(aligned[2]);
  });

  it('ignores rows for keys that were not asked for', () => {
    expect(byKeys(['a'], [{ id: 'a' }, { id: 'z' }], (row) => row.id)).toEqual([{ id: 'a' }]);
  });

  it('answers an empty batch with an empty list', () => {
    expect(byKeys([], [{ id: 'a' }], (row) => row.id)).toEqual([]);
  });

  it('aligns by keys of any type', () => {
    expect(byKeys([2, 1], [{ n: 1 }, { n: 2 }], (row) => row.n)).toEqual([{ n: 2 }, { n: 1 }]);
  });
});

describe('groupByKeys', () => {
  it('gives every key its rows in the order they came', () => {
    const rows = [
      { taskId: 'a', n: 1 },
      { taskId: 'b', n: 2 },
      { taskId: 'a', n: 3 },
    ];
    const groups = groupByKeys(['a', 'b'], rows, (row) => row.taskId);
    expect(groups.map((group) => group.map((row) => row.n))).toEqual([[1, 3], [2]]);
  });

  it('gives a key without rows an empty list', () => {
    expect(groupByKeys(['a', 'none'], [{ taskId: 'a' }], (row) => row.taskId)).toEqual([[{ taskId: 'a' }], []]);
  });

  it('drops rows for keys that were not asked for', () => {
    expect(groupByKeys(['a'], [{ taskId: 'z' }], (row) => row.taskId)).toEqual([[]]);
  });

  it('gives every key its own list, not a shared one', () => {
    const groups = groupByKeys(['a', 'b'], [], (row: { taskId: string }) => row.taskId);
    expect(groups[0]).not.toBe(groups[1]);
  });
});

describe('createByIdLoader', () => {
  const table: Row[] = [
    { id: ID_1, title: 'one' },
    { id: ID_2, title: 'two' },
  ];

  it('loads a batch of ids with one fetch', async () => {
    const { fetch, calls } = fakeFetch(table);
    const loader = createByIdLoader(fetch);
    const [one, two] = await Promise.all([loader.load(ID_1), loader.load(ID_2)]);
    expect(one?.title).toBe('one');
    expect(two?.title).toBe('two');
    expect(calls).toEqual([[ID_1, ID_2]]);
  });

  it('answers null for an id without a row', async () => {
    const { fetch } = fakeFetch(table);
    const loader = createByIdLoader(fetch);
    expect(await loader.load(ID_3)).toBeNull();
  });
});
