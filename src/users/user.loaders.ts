import type { Db } from '../db/database.js';
import { createByIdLoader } from '../loader-utils.js';
import { findUsersByIds } from './user.repository.js';

export function createUserLoaders(db: Db, viewerId: string | undefined) {
  return {
    // A viewer sees one user: themself. Other ids answer null, like missing ones.
    userById: createByIdLoader((ids) => findUsersByIds(db, ids.filter((id) => id === viewerId))),
  };
}
