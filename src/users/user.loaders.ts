import type { RequestCache } from '../cache/request-cache.js';
import type { Db } from '../db/database.js';
import { createByIdLoader } from '../loader-utils.js';
import { userCache, userFence } from './user.cache.js';
import { findUsersByIds } from './user.repository.js';

export function createUserLoaders(db: Db, viewerId: string, cache: RequestCache) {
  return {
    // A viewer sees one user: themself. Other ids answer null, like missing ones, and cost no statement.
    userById: createByIdLoader(async (ids) => (ids.includes(viewerId) ? findUsersByIds(db, [viewerId]) : []), {
      requestCache: cache,
      namespace: userCache,
      fences: () => [userFence],
    }),
  };
}
