import type { RequestCache } from '../cache/request-cache.js';
import type { Db } from '../db/database.js';
import { createByIdLoader, createLoader, jsonKey } from '../loader-utils.js';
import { taskCache, taskFences, taskListCache, taskOptionsCache, taskRowFences } from './task.cache.js';
import { findTaskOptionsByIds, findTaskPage, findTasksByIds, type TaskPageQuery } from './task.repository.js';
import type { TaskSummaryRow } from './task.repository.js';

export function createTaskLoaders(db: Db, viewerId: string, cache: RequestCache) {
  return {
    taskById: createByIdLoader((ids) => findTasksByIds(db, viewerId, ids), {
      requestCache: cache,
      namespace: taskCache,
      fences: taskRowFences,
    }),
    // Separate from taskById: most reads never ask for options, and it is the large column.
    taskOptionsById: createByIdLoader((ids) => findTaskOptionsByIds(db, viewerId, ids), {
      requestCache: cache,
      namespace: taskOptionsCache,
      fences: taskRowFences,
    }),
    // One statement per distinct page query; the same page asked twice in a request is read once.
    taskPage: createLoader<TaskPageQuery, TaskSummaryRow[], string>(
      (queries) =>
        cache.load<TaskPageQuery, TaskSummaryRow[]>(
          {
            namespace: taskListCache,
            key: jsonKey,
            fences: () => [taskFences.lists],
            load: (misses) => Promise.all(misses.map((query) => findTaskPage(db, viewerId, query))),
          },
          queries,
        ),
      { cacheKeyFn: jsonKey },
    ),
  };
}
