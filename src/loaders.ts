import type { RequestCache } from './cache/request-cache.js';
import type { Db } from './db/database.js';
import type { ResponseBudget } from './limits/response-budget.js';
import { createConversationLoaders } from './conversations/conversation.loaders.js';
import { createResourceLoaders } from './resources/resource.loaders.js';
import { createScriptLoaders } from './scripts/script.loaders.js';
import { createStoryboardLoaders } from './storyboards/storyboard.loaders.js';
import { createTaskLoaders } from './tasks/task.loaders.js';
import { createUserLoaders } from './users/user.loaders.js';

/**
 * Every DataLoader of one request, built together so that a batch never
 * spans two requests (or two viewers). Each loader lives with the table it reads,
 * and reads through the request's cache (one MGET per batch, misses from SQL).
 */
export function createLoaders(db: Db, viewerId: string, cache: RequestCache, budget: ResponseBudget) {
  return {
    ...createUserLoaders(db, viewerId, cache),
    ...createTaskLoaders(db, viewerId, cache),
    ...createScriptLoaders(db, viewerId, cache, budget),
    ...createStoryboardLoaders(db, viewerId, cache),
    ...createResourceLoaders(db, viewerId, cache),
    ...createConversationLoaders(db, viewerId, cache),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
