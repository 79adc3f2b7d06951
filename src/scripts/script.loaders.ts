import type { RequestCache } from '../cache/request-cache.js';
import type { Db } from '../db/database.js';
import { byKeys, createByIdLoader, createLoader, groupByKeys } from '../loader-utils.js';
import { taskFences } from '../tasks/task.cache.js';
import { scriptCache, scriptContentCache } from './script.cache.js';
import {
  findLatestScriptsByTaskIds,
  findScriptContentsByIds,
  findScriptSummariesByTaskIds,
  findScriptsByIds,
} from './script.repository.js';
import type { ScriptSummaryRow } from './script.type.js';

// Keys of the by-task loaders are ids of tasks the viewer was already shown
// (they come from a scoped task loader), so those statements need no user join.
export function createScriptLoaders(db: Db, viewerId: string, cache: RequestCache) {
  const byId = { requestCache: cache, fences: () => [taskFences.children] };
  return {
    scriptById: createByIdLoader((ids) => findScriptsByIds(db, viewerId, ids), { ...byId, namespace: scriptCache }),
    scriptContentById: createByIdLoader((ids) => findScriptContentsByIds(db, viewerId, ids), { ...byId, namespace: scriptContentCache }),
    scriptsByTaskId: createLoader<string, ScriptSummaryRow[]>((taskIds) =>
      cache.load(
        {
          namespace: scriptCache,
          key: (taskId) => `by-task:${taskId}`,
          fences: (taskId) => [taskFences.content(taskId)],
          load: async (misses) => groupByKeys(misses, await findScriptSummariesByTaskIds(db, misses), (row) => row.taskId),
        },
        taskIds,
      ),
    ),
    latestScriptByTaskId: createLoader<string, ScriptSummaryRow | null>((taskIds) =>
      cache.load(
        {
          namespace: scriptCache,
          key: (taskId) => `latest:${taskId}`,
          fences: (taskId) => [taskFences.content(taskId)],
          load: async (misses) => byKeys(misses, await findLatestScriptsByTaskIds(db, misses), (row) => row.taskId),
        },
        taskIds,
      ),
    ),
  };
}
