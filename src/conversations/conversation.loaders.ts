import DataLoader from 'dataloader';
import type { Db } from '../db/database.js';
import type { PerParentPageKey } from '../db/per-parent-pages.js';
import { createByIdLoader, groupByKeys } from '../loader-utils.js';
import {
  findConversationPage,
  findConversationsByIds,
  findConversationsByTaskIds,
  findMessagePages,
} from './conversation.repository.js';
import type { ConversationRow, MessageRow } from './conversation.table.js';

type ConversationPageQuery = Parameters<typeof findConversationPage>[2];

export function createConversationLoaders(db: Db, viewerId: string) {
  return {
    conversationById: createByIdLoader((ids) => findConversationsByIds(db, viewerId, ids)),
    conversationPage: new DataLoader<ConversationPageQuery, ConversationRow[], string>(
      (queries) => Promise.all(queries.map((query) => findConversationPage(db, viewerId, query))),
      { cacheKeyFn: (query) => JSON.stringify(query) },
    ),
    conversationsByTaskId: new DataLoader<string, ConversationRow[]>(async (taskIds) =>
      groupByKeys(taskIds, await findConversationsByTaskIds(db, viewerId, taskIds), (row) => row.taskId!),
    ),
    // Keyed by conversation, page size, direction and cursor: W4's 20 conversations x last 20 is one statement.
    messagePageByConversation: new DataLoader<PerParentPageKey, MessageRow[], string>((keys) => findMessagePages(db, keys), {
      cacheKeyFn: (key) => JSON.stringify(key),
    }),
  };
}
