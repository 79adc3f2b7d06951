import DataLoader from 'dataloader';
import type { Db } from '../db/database.js';
import { createByIdLoader, groupByKeys } from '../loader-utils.js';
import { findResourcesByIds, findResourcesByTaskIds, type Resource } from './resource.repository.js';
import type { ResourceKind } from './resource.table.js';

export interface ResourcesOfTask {
  readonly taskId: string;
  readonly kind: ResourceKind | undefined;
}

export function createResourceLoaders(db: Db, viewerId: string) {
  return {
    resourceById: createByIdLoader((ids) => findResourcesByIds(db, viewerId, ids)),
    // The kind filter changes the answer, so it is part of the key; one statement per kind asked.
    resourcesByTask: new DataLoader<ResourcesOfTask, Resource[], string>(
      async (keys) => {
        const byKind = new Map<ResourceKind | undefined, string[]>();
        for (const key of keys) byKind.set(key.kind, [...(byKind.get(key.kind) ?? []), key.taskId]);
        const results = new Map<string, Resource[]>();
        for (const [kind, taskIds] of byKind) {
          const groups = groupByKeys(taskIds, await findResourcesByTaskIds(db, taskIds, kind), (row) => row.taskId);
          taskIds.forEach((taskId, i) => results.set(`${taskId}:${kind ?? ''}`, groups[i]!));
        }
        return keys.map((key) => results.get(`${key.taskId}:${key.kind ?? ''}`) ?? []);
      },
      { cacheKeyFn: (key) => `${key.taskId}:${key.kind ?? ''}` },
    ),
  };
}
