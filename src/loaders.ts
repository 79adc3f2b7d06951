import type { Db } from './db/database.js';
import { createConversationLoaders } from './conversations/conversation.loaders.js';
import { createResourceLoaders } from './resources/resource.loaders.js';
import { createScriptLoaders } from './scripts/script.loaders.js';
import { createStoryboardLoaders } from './storyboards/storyboard.loaders.js';
import { createTaskLoaders } from './tasks/task.loaders.js';
import { createUserLoaders } from './users/user.loaders.js';

/**
 * Every DataLoader of one request, built together so that a batch never
 * spans two requests (or two viewers). Each loader lives with the table it reads.
 */
export function createLoaders(db: Db, viewerId: string) {
  return {
    ...createUserLoaders(db, viewerId),
    ...createTaskLoaders(db, viewerId),
    ...createScriptLoaders(db, viewerId),
    ...createStoryboardLoaders(db, viewerId),
    ...createResourceLoaders(db, viewerId),
    ...createConversationLoaders(db, viewerId),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
