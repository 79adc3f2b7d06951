import type { Db } from '../db/database.js';
import { createByIdLoader } from '../loader-utils.js';
import { findUsersByIds } from './user.repository.js';

export function createUserLoaders(db: Db, viewerId: string) {
  return {
    // A viewer sees one user: themself. Other ids answer null, like missing ones, and cost no statement.
    userById: createByIdLoader(async (ids) => (ids.includes(viewerId) ? findUsersByIds(db, [viewerId]) : [])),
  };
}
