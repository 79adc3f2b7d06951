import type { RequestCache } from '../cache/request-cache.js';
import type { Db } from '../db/database.js';
import type { PerParentPageKey } from '../db/per-parent-pages.js';
import { createByIdLoader, createLoader, jsonKey, loadInGroups } from '../loader-utils.js';
import { taskFences } from '../tasks/task.cache.js';
import { conversationCache, conversationFences, conversationListCache, messageCache } from './conversation.cache.js';
import {
  findConversationPage,
  findConversationsByIds,
  findConversationPagesByTask,
  findMessagePages,
} from './conversation.repository.js';
import type { ConversationRow, MessagePageRow } from './conversation.table.js';

type ConversationPageQuery = Parameters<typeof findConversationPage>[2];

export function createConversationLoaders(db: Db, viewerId: string, cache: RequestCache) {
  return {
    conversationById: createByIdLoader((ids) => findConversationsByIds(db, viewerId, ids), {
      requestCache: cache,
      namespace: conversationCache,
      fences: (id) => [conversationFences.conversation(id)],
    }),
    conversationPage: createLoader<ConversationPageQuery, ConversationRow[], string>(
      (queries) =>
        cache.load<ConversationPageQuery, ConversationRow[]>(
          {
            namespace: conversationListCache,
            key: jsonKey,
            fences: () => [conversationFences.lists],
            load: (misses) => Promise.all(misses.map((query) => findConversationPage(db, viewerId, query))),
          },
          queries,
        ),
      { cacheKeyFn: jsonKey },
    ),
    // Keyed by task and page size: 20 tasks asking for conversations(first: 5) are one statement.
    conversationPageByTask: createLoader<PerParentPageKey, ConversationRow[], string>(
      (keys) =>
        cache.load<PerParentPageKey, ConversationRow[]>(
          {
            namespace: conversationCache,
            key: (key) => `by-task:${jsonKey(key)}`,
            fences: (key) => [taskFences.content(key.parentId), conversationFences.lists],
            load: (misses) => findConversationPagesByTask(db, viewerId, misses),
          },
          keys,
        ),
      { cacheKeyFn: jsonKey },
    ),
    // Keyed by conversation, page size, direction, cursor and whether ids are read:
    // W4's 20 conversations x last 20 is one statement.
    messagePageByConversation: createLoader<MessagePageKey, MessagePageRow[], string>(
      (keys) =>
        cache.load<MessagePageKey, MessagePageRow[]>(
          {
            namespace: messageCache,
            key: jsonKey,
            fences: (key) => [conversationFences.conversation(key.parentId)],
            // One statement for the pages that read ids and one for those that do not (a request's are usually alike).
            load: (misses) => loadInGroups(misses, [false, true], (key) => key.withIds, (keys, withIds) => findMessagePages(db, keys, { withIds })),
          },
          keys,
        ),
      { cacheKeyFn: jsonKey },
    ),
  };
}

/** A page of messages of one conversation, and whether its rows carry their ids (./conversation.connection.ts). */
export interface MessagePageKey extends PerParentPageKey {
  readonly withIds: boolean;
}
