import type { RequestCache } from '../cache/request-cache.js';
import type { Db } from '../db/database.js';
import type { PerParentPageKey } from '../db/per-parent-pages.js';
import { createByIdLoader, createLoader, jsonKey } from '../loader-utils.js';
import { taskFences } from '../tasks/task.cache.js';
import { storyboardCache } from './storyboard.cache.js';
import { findStoryboardPages, findStoryboardsByIds, type StoryboardWithMedia } from './storyboard.repository.js';

export function createStoryboardLoaders(db: Db, viewerId: string, cache: RequestCache) {
  return {
    storyboardById: createByIdLoader((ids) => findStoryboardsByIds(db, viewerId, ids), {
      requestCache: cache,
      namespace: storyboardCache,
      fences: () => [taskFences.children],
    }),
    // Keyed by task, page size and cursor: 20 tasks asking for storyboards(first: 10) are one statement.
    storyboardPageByTask: createLoader<PerParentPageKey, StoryboardWithMedia[], string>(
      (keys) =>
        cache.load(
          {
            namespace: storyboardCache,
            key: (key) => `page:${jsonKey(key)}`,
            fences: (key) => [taskFences.content(key.parentId)],
            load: (misses) => findStoryboardPages(db, misses),
          },
          keys,
        ),
      { cacheKeyFn: jsonKey },
    ),
  };
}
