// @requires redis-server
// @requires redis-cli
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CacheConversationDocument,
  CacheConversationsDocument,
  CacheResourceDocument,
  CacheScriptDocument,
  CacheStoryboardDocument,
  CacheTaskConversationsDocument,
  CacheTaskDocument,
  CacheTaskTreeDocument,
  CacheTasksPageDocument,
  CacheViewerTasksDocument,
} from '../../generated/graphql.js';
import { arrange, mutations, named } from '../../helpers/mutation-cases.js';
import { startRedisBackend, untilStoreAnswers, type RedisBackend } from '../../helpers/redis-server.js';
import { startTestApi, type GraphQLResponse, type TestApi } from '../../helpers/test-api.js';


const reads = named({
  'task(id)': (api, fx) => api.execute(CacheTaskDocument, { id: fx.taskIds[0]! }, { as: fx.user }),
  'the tasks page': (api, fx) => api.execute(CacheTasksPageDocument, { first: 10 }, { as: fx.user }),
  'viewer.tasks': (api, fx) => api.execute(CacheViewerTasksDocument, { first: 10 }, { as: fx.user }),
  'the task tree': (api, fx) => api.execute(CacheTaskTreeDocument, { first: 10 }, { as: fx.user }),
  'the conversations page': (api, fx) => api.execute(CacheConversationsDocument, { first: 10 }, { as: fx.user }),
  'conversation(id) with messages(last: 2)': (api, fx) => api.execute(CacheConversationDocument, { id: fx.conversationId, last: 2 }, { as: fx.user }),
  'Task.conversations': (api, fx) => api.execute(CacheTaskConversationsDocument, { id: fx.taskIds[0]! }, { as: fx.user }),
  'script(id)': (api, fx) => api.execute(CacheScriptDocument, { id: fx.scriptId }, { as: fx.user }),
  'storyboard(id)': (api, fx) => api.execute(CacheStoryboardDocument, { id: fx.storyboards[0]!.id }, { as: fx.user }),
  'resource(id)': (api, fx) => api.execute(CacheResourceDocument, { id: fx.storyboards[0]!.imageId }, { as: fx.user }),
});


type Row = readonly [keyof typeof mutations, keyof typeof reads];

/** Every mutation with every cached read that depends on what it writes. */
const TABLE: readonly Row[] = [
  ['createTask', 'the tasks page'],
  ['createTask', 'viewer.tasks'],
  ['createTask', 'the task tree'],
  ['createTasks', 'the tasks page'],
  ['createTasks', 'viewer.tasks'],
  ['updateTaskStatus', 'task(id)'],
  ['updateTaskStatus', 'the tasks page'],
  ['updateTaskStatus', 'viewer.tasks'],
  ['updateTasksStatus', 'task(id)'],
  ['updateTasksStatus', 'the tasks page'],
  ['cancelTask', 'task(id)'],
  ['cancelTask', 'the tasks page'],
  ['deleteTask', 'task(id)'],
  ['deleteTask', 'the tasks page'],
  ['deleteTask', 'the task tree'],
  ['deleteTask', 'script(id)'],
  ['deleteTask', 'storyboard(id)'],
  ['deleteTask', 'resource(id)'],
  ['deleteTask', 'the conversations page'],
  ['deleteTask', 'conversation(id) with messages(last: 2)'],
  ['addScript', 'the task tree'],
  ['addStoryboards', 'the task tree'],
  ['addResources', 'the task tree'],
  ['setStoryboardMedia', 'the task tree'],
  ['setStoryboardMedia', 'storyboard(id)'],
  ['createConversation', 'the conversations page'],
  ['createConversation', 'Task.conversations'],
  ['postMessage', 'conversation(id) with messages(last: 2)'],
  ['postMessage', 'the conversations page'],
  ['postMessage', 'Task.conversations'],
];

/** On a cluster: one of each kind of read (by id, a page, the tree, a per-parent page). */
const CLUSTER_TABLE: readonly Row[] = [
  ['updateTaskStatus', 'task(id)'],
  ['createTask', 'the tasks page'],
  ['addScript', 'the task tree'],
  ['setStoryboardMedia', 'the task tree'],
  ['postMessage', 'conversation(id) with messages(last: 2)'],
  ['deleteTask', 'storyboard(id)'],
];

const body = (response: GraphQLResponse<unknown>) => ({ data: response.data, errors: response.errors });

describe.each([
  ['redis', TABLE],
  ['cluster', CLUSTER_TABLE],
] as const)('freshness after writes on %s', (kind, table) => {
  let backend: RedisBackend;
  let api: TestApi;
  /** The same database without any cache: what a read must answer. */
  let truth: TestApi;
  beforeAll(async () => {
    backend = await startRedisBackend(kind);
    api = await startTestApi({ ...backend.env, REDIS_COMMAND_TIMEOUT_MS: '1000' });
    truth = await api.startSibling({ CACHE_MODE: 'off' });
    await untilStoreAnswers(api.cache.store);
  });
  afterAll(async () => {
    await truth?.close();
    await api?.close();
    await backend?.stop();
  });

  it.each(table)('after %s, %s answers what the database holds', async (mutation, read) => {
    const fx = await arrange(api);
    const warm = await reads[read](api, fx);
    expect(warm.errors).toBeUndefined();
    expect(warm.headers['x-cache']).toBe('MISS');
    const { result: cached, statements } = await api.recordSql(() => reads[read](api, fx));
    expect(cached.headers['x-cache']).toBe('HIT');
    expect(statements).toEqual([]);
    expect(body(cached)).toEqual(body(warm));

    const written = await mutations[mutation](api, fx);
    expect(written.errors).toBeUndefined();

    const after = await reads[read](api, fx);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(body(after)).not.toEqual(body(warm));
    expect(body(after)).toEqual(body(await reads[read](truth, fx)));
  });

  it('answers null for a deleted task read by id, not the cached task', async () => {
    const fx = await arrange(api);
    await reads['task(id)'](api, fx);
    await mutations.deleteTask(api, fx);

    const after = await reads['task(id)'](api, fx);

    expect(after.data).toEqual({ task: null });
    expect(after.errors).toBeUndefined();
  });
});
