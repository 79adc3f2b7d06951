import DataLoader from 'dataloader';
import type { Db } from '../db/database.js';
import type { PerParentPageKey } from '../db/per-parent-pages.js';
import { createByIdLoader } from '../loader-utils.js';
import { findStoryboardPages, findStoryboardsByIds } from './storyboard.repository.js';
import type { StoryboardRow } from './storyboard.table.js';

export function createStoryboardLoaders(db: Db, viewerId: string) {
  return {
    storyboardById: createByIdLoader((ids) => findStoryboardsByIds(db, viewerId, ids)),
    // Keyed by task, page size and cursor: 20 tasks asking for storyboards(first: 10) are one statement.
    storyboardPageByTask: new DataLoader<PerParentPageKey, StoryboardRow[], string>((keys) => findStoryboardPages(db, keys), {
      cacheKeyFn: (key) => JSON.stringify(key),
    }),
  };
}
