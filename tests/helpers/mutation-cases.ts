import {
  CacheAddResourcesDocument,
  CacheAddScriptDocument,
  CacheAddStoryboardsDocument,
  CacheCancelTaskDocument,
  CacheCreateConversationDocument,
  CacheCreateTaskDocument,
  CacheCreateTasksDocument,
  CacheDeleteTaskDocument,
  CachePostMessageDocument,
  CacheSetStoryboardMediaDocument,
  CacheUpdateTaskStatusDocument,
  CacheUpdateTasksStatusDocument,
} from '../generated/graphql.js';
import { createConversations, createTaskTree } from './factories.js';
import type { GraphQLResponse, NewTestUser, TestApi } from './test-api.js';

// Every mutation of the API, each with valid input on one user's data: the
// freshness table (tests/integration/cache/freshness.test.ts) and the write
// path's check that every Mutation field goes through it share them.

/** One user's data: two tasks (the first the newest), each with a script and two storyboards with media, and a conversation about the first. */
export interface Fixture {
  readonly user: NewTestUser;
  readonly taskIds: readonly string[];
  readonly scriptId: string;
  /** The first task's storyboards, in sequence, with their media. */
  readonly storyboards: readonly { id: string; imageId: string; videoId: string }[];
  readonly conversationId: string;
}

export async function arrange(api: TestApi): Promise<Fixture> {
  const user = await api.createUser();
  const taskIds = await createTaskTree(api.db, user.id, { tasks: 2, scriptsPerTask: 1, storyboardsPerTask: 2, withMedia: true });
  const [conversationId] = await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 3, taskId: taskIds[0] });
  const script = await api.db.selectFrom('scripts').select('id').where('taskId', '=', taskIds[0]!).executeTakeFirstOrThrow();
  const storyboards = await api.db
    .selectFrom('storyboards')
    .select(['id', 'firstFrameImageId', 'videoId'])
    .where('taskId', '=', taskIds[0]!)
    .orderBy('sequenceNumber')
    .execute();
  return {
    user,
    taskIds,
    scriptId: script.id,
    storyboards: storyboards.map((s) => ({ id: s.id, imageId: s.firstFrameImageId!, videoId: s.videoId! })),
    conversationId: conversationId!,
  };
}

export type Operation = (api: TestApi, fx: Fixture) => Promise<GraphQLResponse<unknown>>;
/** Names each operation, typed as an Operation whatever its document's own data type. */
export const named = <K extends string>(operations: Record<K, Operation>) => operations;

export const mutations = named({
  createTask: (api, fx) => api.execute(CacheCreateTaskDocument, { input: { topic: 'Created through the API' } }, { as: fx.user }),
  createTasks: (api, fx) => api.execute(CacheCreateTasksDocument, { inputs: [{ topic: 'Batch one' }, { topic: 'Batch two' }] }, { as: fx.user }),
  updateTaskStatus: (api, fx) =>
    api.execute(CacheUpdateTaskStatusDocument, { input: { id: fx.taskIds[0]!, status: 'RUNNING', progress: 0.5 } }, { as: fx.user.agent }),
  updateTasksStatus: (api, fx) =>
    api.execute(
      CacheUpdateTasksStatusDocument,
      { inputs: [{ id: fx.taskIds[0]!, status: 'RUNNING' }, { id: fx.taskIds[1]!, status: 'RUNNING', progress: 0.25 }] },
      { as: fx.user.agent },
    ),
  cancelTask: (api, fx) => api.execute(CacheCancelTaskDocument, { id: fx.taskIds[0]! }, { as: fx.user }),
  deleteTask: (api, fx) => api.execute(CacheDeleteTaskDocument, { id: fx.taskIds[0]! }, { as: fx.user }),
  addScript: (api, fx) =>
    api.execute(CacheAddScriptDocument, { input: { taskId: fx.taskIds[0]!, title: 'Second draft', content: 'Scene one, again.' } }, { as: fx.user.agent }),
  addStoryboards: (api, fx) =>
    api.execute(
      CacheAddStoryboardsDocument,
      { taskId: fx.taskIds[0]!, inputs: [{ sequenceNumber: 2, description: 'A third cut', prompt: 'Wide shot', durationSeconds: 3 }] },
      { as: fx.user.agent },
    ),
  addResources: (api, fx) =>
    api.execute(
      CacheAddResourcesDocument,
      { taskId: fx.taskIds[0]!, inputs: [{ kind: 'AUDIO', url: 'https://cdn.test/narration.mp3', mimeType: 'audio/mpeg' }] },
      { as: fx.user.agent },
    ),
  // The first storyboard takes the second one's image (same task, same kind).
  setStoryboardMedia: (api, fx) =>
    api.execute(
      CacheSetStoryboardMediaDocument,
      { input: { storyboardId: fx.storyboards[0]!.id, firstFrameImageId: fx.storyboards[1]!.imageId } },
      { as: fx.user.agent },
    ),
  createConversation: (api, fx) =>
    api.execute(CacheCreateConversationDocument, { input: { title: 'About the first task', taskId: fx.taskIds[0]! } }, { as: fx.user }),
  postMessage: (api, fx) =>
    api.execute(CachePostMessageDocument, { input: { conversationId: fx.conversationId, role: 'USER', content: 'One more thing' } }, { as: fx.user }),
});
