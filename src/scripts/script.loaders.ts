import type { RequestCache } from '../cache/request-cache.js';
import type { Db } from '../db/database.js';
import type { ResponseBudget } from '../limits/response-budget.js';
import type { PerParentPageKey } from '../db/per-parent-pages.js';
import { byKeys, createByIdLoader, createLoader, jsonKey } from '../loader-utils.js';
import { taskFences } from '../tasks/task.cache.js';
import { scriptCache, scriptContentCache } from './script.cache.js';
import {
  findLatestScriptsByTaskIds,
  findScriptContentsByIds,
  findScriptPages,
  findScriptsByIds,
} from './script.repository.js';
import type { ScriptSummaryRow } from './script.repository.js';

// Keys of the by-task loaders are ids of tasks the viewer was already shown
// (they come from a scoped task loader), so those statements need no user join.
export function createScriptLoaders(db: Db, viewerId: string, cache: RequestCache, budget: ResponseBudget) {
  const byId = { requestCache: cache, fences: () => [taskFences.children] };
  return {
    scriptById: createByIdLoader((ids) => findScriptsByIds(db, viewerId, ids), { ...byId, namespace: scriptCache }),
    // Only what the response can still carry is read; a content left out means it cannot (and nothing is cached).
    scriptContentById: createByIdLoader(
      async (ids) => {
        const rows = await findScriptContentsByIds(db, viewerId, ids, budget.remaining);
        return rows.map((row) => (row.content === null ? budget.refuse() : { id: row.id, content: row.content }));
      },
      { ...byId, namespace: scriptContentCache },
    ),
    // Keyed by task and page size: 20 tasks asking for scripts(first: 10) are one statement.
    scriptPageByTask: createLoader<PerParentPageKey, ScriptSummaryRow[], string>(
      (keys) =>
        cache.load(
          {
            namespace: scriptCache,
            key: (key) => `page:${jsonKey(key)}`,
            fences: (key) => [taskFences.content(key.parentId)],
            load: (misses) => findScriptPages(db, misses),
          },
          keys,
        ),
      { cacheKeyFn: jsonKey },
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
