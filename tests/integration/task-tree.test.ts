import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskTreeDocument } from '../generated/graphql.js';
import { createTaskTree } from '../helpers/factories.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';

let api: TestApi;
beforeAll(async () => {
  // Statement counts are a property of the uncached path: the cache's own suite covers the other.
  api = await startTestApi({ CACHE_MODE: 'off' });
});
afterAll(() => api.close());

describe('the W3 task tree', () => {
  it.each([5, 20, 50])('costs the same statements for %i tasks', async (taskCount) => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: taskCount, scriptsPerTask: 3, storyboardsPerTask: 12, withMedia: true });
    // The first request of a user also checks that the user exists; the tree is measured after it.
    await api.execute(TaskTreeDocument, { first: 1, storyboards: 1 }, { as: user });

    const { result, statements } = await api.recordSql(() => api.execute(TaskTreeDocument, { first: taskCount, storyboards: 10 }, { as: user }));

    expect(result.errors).toBeUndefined();
    const tasks = result.data!.tasks.nodes;
    expect(tasks).toHaveLength(taskCount);
    for (const task of tasks) {
      expect(task.scripts).toHaveLength(3);
      expect(task.latestScript?.version).toBe(3);
      expect(task.storyboards.nodes.map((s) => s.sequenceNumber)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(task.storyboards.pageInfo.hasNextPage).toBe(true);
      for (const storyboard of task.storyboards.nodes) {
        expect(storyboard.firstFrameImage?.url).toMatch(/\/image$/);
        expect(storyboard.video?.url).toMatch(/\/video$/);
      }
    }
    // tasks page, scripts, latest script, storyboard pages with their media joined.
    expect(statements).toHaveLength(4);
  });

  it('reads neither script contents nor task options, which it does not ask for', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 20, scriptsPerTask: 3, storyboardsPerTask: 12, withMedia: true });
    await api.execute(TaskTreeDocument, { first: 1, storyboards: 1 }, { as: user });

    const { result, statements } = await api.recordSql(() => api.execute(TaskTreeDocument, { first: 20, storyboards: 10 }, { as: user }));

    expect(result.errors).toBeUndefined();
    expect(statements).toHaveLength(4);
    expect(statements.filter((statement) => /\b(content|options)\b/i.test(statement))).toEqual([]);
  });
});
