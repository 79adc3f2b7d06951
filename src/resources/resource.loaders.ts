import type { RequestCache } from '../cache/request-cache.js';
import type { Db } from '../db/database.js';
import { createByIdLoader, createLoader, groupByKeys } from '../loader-utils.js';
import { taskFences } from '../tasks/task.cache.js';
import { resourceCache } from './resource.cache.js';
import { findResourcesByIds, findResourcesByTaskIds, type Resource } from './resource.repository.js';
import type { ResourceKind } from './resource.table.js';

export interface ResourcesOfTask {
  readonly taskId: string;
  readonly kind: ResourceKind | undefined;
}

export function createResourceLoaders(db: Db, viewerId: string, cache: RequestCache) {
  return {
    resourceById: createByIdLoader((ids) => findResourcesByIds(db, viewerId, ids), {
      requestCache: cache,
      namespace: resourceCache,
      fences: () => [taskFences.children],
    }),
    // The kind filter changes the answer, so it is part of the key; one statement per kind asked.
    resourcesByTask: createLoader<ResourcesOfTask, Resource[], string>(
      (keys) =>
        cache.load(
          {
            namespace: resourceCache,
            key: (key) => `by-task:${taskKindKey(key)}`,
            fences: (key) => [taskFences.content(key.taskId)],
            load: (misses) => loadResourcesOfTasks(db, misses),
          },
          keys,
        ),
      { cacheKeyFn: taskKindKey },
    ),
  };
}

const taskKindKey = (key: ResourcesOfTask) => `${key.taskId}:${key.kind ?? 'all'}`;

async function loadResourcesOfTasks(db: Db, keys: readonly ResourcesOfTask[]): Promise<Resource[][]> {
  const kinds = [...new Set(keys.map((key) => key.kind))];
  const byKey = new Map<string, Resource[]>();
  for (const kind of kinds) {
    const taskIds = keys.filter((key) => key.kind === kind).map((key) => key.taskId);
    const groups = groupByKeys(taskIds, await findResourcesByTaskIds(db, taskIds, kind), (row) => row.taskId);
    taskIds.forEach((taskId, i) => byKey.set(taskKindKey({ taskId, kind }), groups[i]!));
  }
  return keys.map((key) => byKey.get(taskKindKey(key)) ?? []);
}
