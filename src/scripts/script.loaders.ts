import DataLoader from 'dataloader';
import type { Db } from '../db/database.js';
import { byKeys, createByIdLoader, groupByKeys } from '../loader-utils.js';
import {
  findLatestScriptsByTaskIds,
  findScriptContentsByIds,
  findScriptSummariesByTaskIds,
  findScriptsByIds,
} from './script.repository.js';
import type { ScriptSummaryRow } from './script.type.js';

// Keys of the by-task loaders are ids of tasks the viewer was already shown
// (they come from a scoped task loader), so those statements need no user join.
export function createScriptLoaders(db: Db, viewerId: string) {
  return {
    scriptById: createByIdLoader((ids) => findScriptsByIds(db, viewerId, ids)),
    scriptContentById: createByIdLoader((ids) => findScriptContentsByIds(db, viewerId, ids)),
    scriptsByTaskId: new DataLoader<string, ScriptSummaryRow[]>(async (taskIds) =>
      groupByKeys(taskIds, await findScriptSummariesByTaskIds(db, taskIds), (row) => row.taskId),
    ),
    latestScriptByTaskId: new DataLoader<string, ScriptSummaryRow | null>(async (taskIds) =>
      byKeys(taskIds, await findLatestScriptsByTaskIds(db, taskIds), (row) => row.taskId),
    ),
  };
}
