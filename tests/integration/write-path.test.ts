import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Cache } from '../../src/cache/cache.js';
import { MemoryStore } from '../../src/cache/memory-store.js';
import { RequestCache, type CachedLoad, type WrittenRow } from '../../src/cache/request-cache.js';
import { tierTable } from '../../src/cache/tiers.js';
import { createSchema } from '../../src/schema.js';
import { taskCache, taskFences, taskRowFences } from '../../src/tasks/task.cache.js';
import type { WriteChanges } from '../../src/writes/changes.js';
import { WritePath } from '../../src/writes/write-path.js';
import { CacheTaskDocument } from '../generated/graphql.js';
import { arrange, mutations } from '../helpers/mutation-cases.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});

afterAll(async () => {
  await api?.close();
});

/** How many rows or ids a declaration names. */
const declared = (changes: WriteChanges) => Object.values(changes).flatMap((byChange) => Object.values(byChange ?? {}).flat()).length;

describe('the write path', () => {
  it('is where every Mutation field of the schema writes: each declares what it changed, once', async () => {
    const schema = await createSchema();
    const fields = Object.keys(schema.getMutationType()!.getFields()).sort();
    // A new mutation needs a case (tests/helpers/mutation-cases.ts), and then goes through the check below.
    expect(Object.keys(mutations).sort()).toEqual(fields);

    const commit = vi.spyOn(WritePath.prototype, 'commit');
    try {
      for (const [field, run] of Object.entries(mutations)) {
        const fixture = await arrange(api);
        commit.mockClear();
        const response = await run(api, fixture);
        expect(response.errors, field).toBeUndefined();
        expect(commit, field).toHaveBeenCalledTimes(1);
        expect(declared(commit.mock.calls[0]![0]), field).toBeGreaterThan(0);
      }
    } finally {
      commit.mockRestore();
    }
  });

  it('answers task(id) after a status update from the written-through entry, without SQL', async () => {
    const fixture = await arrange(api);
    const id = fixture.taskIds[0]!;
    await api.execute(CacheTaskDocument, { id }, { as: fixture.user });

    const updated = await mutations.updateTaskStatus(api, fixture);
    expect(updated.errors).toBeUndefined();
    const { result, statements } = await api.recordSql(() => api.execute(CacheTaskDocument, { id }, { as: fixture.user }));

    expect(result.data?.task).toMatchObject({ id, status: 'RUNNING', progress: 0.5 });
    expect(statements).toEqual([]);
  });
});

describe('a write-through', () => {
  const row = (status: string) => ({ id: 'x', status });
  const written = (status: string): WrittenRow => ({ namespace: taskCache, key: 'x', fences: taskRowFences('x'), value: row(status) });
  /** taskById's caching of task x, over a "database" that answers `database.status`. */
  function readX(requestCache: RequestCache, database: { status: string; loads: number }) {
    const spec: CachedLoad<string, { id: string; status: string }> = {
      namespace: taskCache,
      key: (id) => id,
      fences: taskRowFences,
      load: async (ids) => ids.map(() => ((database.loads += 1), row(database.status))),
    };
    return requestCache.load(spec, ['x']).then(([value]) => value);
  }

  it('stores the written row under the new tokens: the next read is a hit', async () => {
    const scope = randomUUID();
    const before = await new RequestCache(api.cache, scope).fenceTokensBeforeWrite(taskRowFences('x'));

    const stored = await new RequestCache(api.cache, scope).commitWrite([taskFences.task('x'), taskFences.lists], [written('running')], before);
    const database = { status: 'running', loads: 0 };

    expect(stored).toBe(true);
    expect(await readX(new RequestCache(api.cache, scope), database)).toEqual(row('running'));
    expect(database.loads).toBe(0);
  });

  it('stores nothing when another write moved the fence after this one read it (its row may be older)', async () => {
    const scope = randomUUID();
    const before = await new RequestCache(api.cache, scope).fenceTokensBeforeWrite(taskRowFences('x'));
    // Another write of task x commits after ours and lands its fence first.
    await api.cache.bumpFences(scope, [taskFences.task('x')]);

    const stored = await new RequestCache(api.cache, scope).commitWrite([taskFences.task('x')], [written('older')], before);
    const database = { status: 'newer', loads: 0 };

    expect(stored).toBe(false);
    expect(await readX(new RequestCache(api.cache, scope), database)).toEqual(row('newer'));
    expect(database.loads).toBe(1);
  });

  it('stores nothing, and keeps the fences for a replay, when the cache fails the write', async () => {
    const store = new MemoryStore(1 << 20);
    store.writeIfUnchanged = async () => Promise.reject(new Error('Command timed out'));
    const cache = new Cache(store, { mode: 'on', tiers: tierTable({}), cooldownMs: 60_000 });
    const scope = randomUUID();
    try {
      const before = await new RequestCache(cache, scope).fenceTokensBeforeWrite(taskRowFences('x'));

      const stored = await new RequestCache(cache, scope).commitWrite([taskFences.task('x')], [written('running')], before);
      const database = { status: 'running', loads: 0 };

      expect(stored).toBe(false);
      expect(cache.pendingFencesOf(scope)).toEqual([taskFences.task('x')]);
      await readX(new RequestCache(cache, scope), database);
      expect(database.loads).toBe(1);
    } finally {
      await cache.close();
    }
  });
});
