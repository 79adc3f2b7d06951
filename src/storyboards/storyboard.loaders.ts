import type { RequestCache } from '../cache/request-cache.js';
import type { Db } from '../db/database.js';
import { createByIdLoader, createLoader, jsonKey } from '../loader-utils.js';
import { taskFences } from '../tasks/task.cache.js';
import { storyboardCache } from './storyboard.cache.js';
import { projectionKey } from './storyboard.projection.js';
import { findStoryboardPages, findStoryboardsByIds, type StoryboardPageKey, type StoryboardWithMedia } from './storyboard.repository.js';

export function createStoryboardLoaders(db: Db, viewerId: string, cache: RequestCache) {
  return {
    storyboardById: createByIdLoader((ids) => findStoryboardsByIds(db, viewerId, ids), {
      requestCache: cache,
      namespace: storyboardCache,
      fences: () => [taskFences.children],
    }),
    // Keyed by task, page size, cursor and what is read of it: 20 tasks asking for storyboards(first: 10) are one statement.
    storyboardPageByTask: createLoader<StoryboardPageKey, StoryboardWithMedia[], string>(
      (keys) =>
        cache.load(
          {
            namespace: storyboardCache,
            key: pageKey,
            fences: (key) => [taskFences.content(key.parentId)],
            load: (misses) => findStoryboardPages(db, misses),
          },
          keys,
        ),
      { cacheKeyFn: pageKey },
    ),
  };
}

/** A page's key: which page (as JSON), then what is read of it (./storyboard.projection.ts). */
function pageKey(key: StoryboardPageKey): string {
  const page = { parentId: key.parentId, limit: key.limit, descending: key.descending, after: key.after };
  return `page:${jsonKey(page)}:${projectionKey(key.projection)}`;
}
