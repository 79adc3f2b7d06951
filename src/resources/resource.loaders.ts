import type { RequestCache } from '../cache/request-cache.js';
import type { Db } from '../db/database.js';
import type { PerParentPageKey } from '../db/per-parent-pages.js';
import { createByIdLoader, createLoader, jsonKey } from '../loader-utils.js';
import { taskFences } from '../tasks/task.cache.js';
import { resourceCache } from './resource.cache.js';
import { findResourcePages, findResourcesByIds, type Resource } from './resource.repository.js';
import type { ResourceKind } from './resource.table.js';

/** A page of one task's resources: all kinds, or one. */
export interface ResourcePageOfTask extends PerParentPageKey {
  readonly kind: ResourceKind | undefined;
}

export function createResourceLoaders(db: Db, viewerId: string, cache: RequestCache) {
  return {
    resourceById: createByIdLoader((ids) => findResourcesByIds(db, viewerId, ids), {
      requestCache: cache,
      namespace: resourceCache,
      fences: () => [taskFences.children],
    }),
    // The kind filter and the page size change the answer, so they are part of the key; one statement per kind asked.
    resourcePageByTask: createLoader<ResourcePageOfTask, Resource[], string>(
      (keys) =>
        cache.load(
          {
            namespace: resourceCache,
            key: (key) => `page:${jsonKey(key)}`,
            fences: (key) => [taskFences.content(key.parentId)],
            load: (misses) => loadResourcePages(db, misses),
          },
          keys,
        ),
      { cacheKeyFn: jsonKey },
    ),
  };
}

async function loadResourcePages(db: Db, keys: readonly ResourcePageOfTask[]): Promise<Resource[][]> {
  const pages: Resource[][] = keys.map(() => []);
  for (const kind of new Set(keys.map((key) => key.kind))) {
    const positions = keys.flatMap((key, position) => (key.kind === kind ? [position] : []));
    const found = await findResourcePages(db, positions.map((position) => keys[position]!), kind);
    positions.forEach((position, i) => (pages[position] = found[i]!));
  }
  return pages;
}
