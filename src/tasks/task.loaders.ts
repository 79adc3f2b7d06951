import DataLoader from 'dataloader';
import type { Db } from '../db/database.js';
import { createByIdLoader } from '../loader-utils.js';
import { findTaskOptionsByIds, findTaskPage, findTasksByIds, type TaskPageQuery } from './task.repository.js';
import type { TaskSummaryRow } from './task.type.js';

export function createTaskLoaders(db: Db, viewerId: string) {
  return {
    taskById: createByIdLoader((ids) => findTasksByIds(db, viewerId, ids)),
    // Separate from taskById: most reads never ask for options, and it is the large column.
    taskOptionsById: createByIdLoader((ids) => findTaskOptionsByIds(db, viewerId, ids)),
    // One statement per distinct page query; the same page asked twice in a request is read once.
    taskPage: new DataLoader<TaskPageQuery, TaskSummaryRow[], string>(
      (queries) => Promise.all(queries.map((query) => findTaskPage(db, viewerId, query))),
      { cacheKeyFn: (query) => JSON.stringify(query) },
    ),
  };
}
