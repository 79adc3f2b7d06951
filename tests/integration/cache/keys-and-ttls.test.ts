// @requires redis-server
// @requires redis-cli
import { createHash } from 'node:crypto';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CacheConversationDocument,
  CacheConversationsDocument,
  CacheCreateTaskDocument,
  CacheScriptDocument,
  CacheStoryboardDocument,
  CacheTaskConversationsDocument,
  CacheTaskDocument,
  CacheTaskOptionsDocument,
  CacheTaskTreeDocument,
  CacheTasksPageDocument,
  CacheUpdateTaskStatusDocument,
  CacheViewerEmailDocument,
} from '../../generated/graphql.js';
import { createConversations, createTaskTree } from '../../helpers/factories.js';
import { eventually, startRedisBackend, untilStoreAnswers, type RedisBackend } from '../../helpers/redis-server.js';
import { startTestApi, type TestApi, type TestUser } from '../../helpers/test-api.js';

/** How far below its TTL an entry may be when the test looks at it, in ms. */
const SLACK_MS = 2_000;
const SECOND_MS = 1_000;
const RESPONSE_KEY = /^api:v1:\{[0-9a-f-]{36}\}:[A-Za-z0-9_-]{43}$/;

describe.each(['redis', 'cluster'] as const)('cache keys and TTLs on %s', (kind) => {
  let backend: RedisBackend;
  let api: TestApi;
  beforeAll(async () => {
    backend = await startRedisBackend(kind);
    api = await startTestApi({ ...backend.env, REDIS_COMMAND_TIMEOUT_MS: '1000' });
    await untilStoreAnswers(api.cache.store);
  });
  afterAll(async () => {
    await api?.close();
    await backend?.stop();
  });

  /** Every key of one user's scope, after the response (stored after the answer is sent) has landed. */
  async function scopeKeys(user: TestUser, responses = 1): Promise<string[]> {
    await eventually(`${responses} stored responses`, async () => (await backend.keys(`api:v1:{${user.id}}:*`)).length >= responses);
    return backend.keys(`*{${user.id}}*`);
  }

  async function expectTtl(key: string, seconds: number): Promise<void> {
    const pttl = await backend.client.pttl(key);
    expect(pttl, key).toBeGreaterThan(seconds * SECOND_MS - SLACK_MS);
    expect(pttl, key).toBeLessThanOrEqual(seconds * SECOND_MS);
  }

  async function responseKey(user: TestUser): Promise<string> {
    const [key] = await backend.keys(`api:v1:{${user.id}}:*`);
    expect(key).toMatch(RESPONSE_KEY);
    return key!;
  }

  it('keys a task as tasks:v1:{userId}:taskId for the short tier, 60 s, and its response for 60 s too', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });

    const read = await api.execute(CacheTaskDocument, { id: taskId! }, { as: user });

    expect(read.errors).toBeUndefined();
    const keys = await scopeKeys(user);
    expect(keys).toEqual([await responseKey(user), `tasks:v1:{${user.id}}:${taskId}`].sort());
    await expectTtl(`tasks:v1:{${user.id}}:${taskId}`, 60);
    // The shortest tier the response read: a task's.
    await expectTtl(await responseKey(user), 60);
  });

  it('keeps task options, a long stale-while-revalidate namespace, for twice 900 s', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });

    await api.execute(CacheTaskOptionsDocument, { id: taskId! }, { as: user });

    const keys = await scopeKeys(user);
    expect(keys.filter((key) => !key.startsWith('api:'))).toEqual([`task-options:v1:{${user.id}}:${taskId}`, `tasks:v1:{${user.id}}:${taskId}`]);
    await expectTtl(`task-options:v1:{${user.id}}:${taskId}`, 2 * 900);
    await expectTtl(await responseKey(user), 60);
  });

  it('keys a task page by its query for the medium tier, 300 s, and its response for 300 s', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 3 });

    await api.execute(CacheTasksPageDocument, { first: 5 }, { as: user });

    // No pageInfo asked: the page reads its 5 rows, not a 6th (src/pagination.ts rowsToRead).
    const pageKey = `task-lists:v1:{${user.id}}:{"descending":true,"offset":0,"limit":5}`;
    expect(await scopeKeys(user)).toEqual([await responseKey(user), pageKey]);
    await expectTtl(pageKey, 300);
    await expectTtl(await responseKey(user), 300);
  });

  it('keys every relation of the task tree under its task, the long ones for twice 900 s', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1, scriptsPerTask: 2, storyboardsPerTask: 1, withMedia: true });

    const read = await api.execute(CacheTaskTreeDocument, { first: 1 }, { as: user });

    expect(read.errors).toBeUndefined();
    const scope = `{${user.id}}`;
    // A storyboard page brings its media: no resource is read by id. Its key ends with what the query reads of it.
    const long = [
      `resources:v1:${scope}:page:{"parentId":"${taskId}","limit":100,"descending":false}`,
      `scripts:v1:${scope}:page:{"parentId":"${taskId}","limit":10,"descending":true}`,
      `scripts:v1:${scope}:latest:${taskId}`,
      `storyboards:v1:${scope}:page:{"parentId":"${taskId}","limit":10,"descending":false}:id,task_id,sequence_number,first_frame_image_id,video_id;image=id,url;video=id,url`,
    ];
    const page = `task-lists:v1:${scope}:{"descending":true,"offset":0,"limit":1}`;
    expect(await scopeKeys(user)).toEqual([await responseKey(user), ...long, page].sort());
    for (const key of long) await expectTtl(key, 2 * 900);
    await expectTtl(page, 300);
    await expectTtl(await responseKey(user), 300);
  });

  it('keys a script by id, its text included, for twice 900 s', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1, scriptsPerTask: 1 });
    const script = await api.db.selectFrom('scripts').select('id').where('taskId', '=', taskId!).executeTakeFirstOrThrow();

    await api.execute(CacheScriptDocument, { id: script.id }, { as: user });

    expect(await scopeKeys(user)).toEqual([await responseKey(user), `scripts:v1:{${user.id}}:${script.id}`]);
    await expectTtl(`scripts:v1:{${user.id}}:${script.id}`, 2 * 900);
    await expectTtl(await responseKey(user), 300);
  });

  it('keys a storyboard and its media read by id for twice 900 s', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1, storyboardsPerTask: 1, withMedia: true });
    const storyboard = await api.db
      .selectFrom('storyboards')
      .select(['id', 'firstFrameImageId', 'videoId'])
      .where('taskId', '=', taskId!)
      .executeTakeFirstOrThrow();

    const read = await api.execute(CacheStoryboardDocument, { id: storyboard.id }, { as: user });

    expect(read.errors).toBeUndefined();
    const scope = `{${user.id}}`;
    const long = [storyboard.id, storyboard.firstFrameImageId, storyboard.videoId].map((id, i) => `${i === 0 ? 'storyboards' : 'resources'}:v1:${scope}:${id}`);
    expect(await scopeKeys(user)).toEqual([await responseKey(user), ...long].sort());
    for (const key of long) await expectTtl(key, 2 * 900);
    await expectTtl(await responseKey(user), 300);
  });

  it('keys conversations and messages for the long tier, 900 s, and their list for 300 s', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });
    const [conversationId] = await createConversations(api.db, user.id, { conversations: 1, messagesPerConversation: 3, taskId });
    const scope = `{${user.id}}`;

    await api.execute(CacheConversationDocument, { id: conversationId!, last: 2 }, { as: user });
    await api.execute(CacheConversationsDocument, { first: 5 }, { as: user });
    await api.execute(CacheTaskConversationsDocument, { id: taskId! }, { as: user });

    const keys = await scopeKeys(user, 3);
    const messages = `messages:v2:${scope}:{"parentId":"${conversationId}","limit":2,"descending":true,"withIds":true}`;
    const list = `conversation-lists:v1:${scope}:{"sort":"updatedAt","limit":5}`;
    const byTask = `conversations:v1:${scope}:by-task:{"parentId":"${taskId}","limit":20,"descending":true}`;
    expect(keys.filter((key) => !key.startsWith('api:'))).toEqual([
      list,
      `conversations:v1:${scope}:${conversationId}`,
      byTask,
      messages,
      `tasks:v1:${scope}:${taskId}`,
    ].sort());
    await expectTtl(`conversations:v1:${scope}:${conversationId}`, 900);
    await expectTtl(byTask, 900);
    await expectTtl(messages, 900);
    await expectTtl(list, 300);
  });

  it('keys the viewer as users:v1:{userId}:userId for the very long tier, 3,600 s, its response capped at 300 s', async () => {
    const user = await api.createUser();

    await api.execute(CacheViewerEmailDocument, {}, { as: user });

    expect(await scopeKeys(user)).toEqual([await responseKey(user), `users:v1:{${user.id}}:${user.id}`]);
    await expectTtl(`users:v1:{${user.id}}:${user.id}`, 3_600);
    await expectTtl(await responseKey(user), 300);
  });

  it('answers a GET private, no-cache while it stores the response for its tier', async () => {
    const user = await api.createUser();
    const query = print(CacheViewerEmailDocument);
    const get = () =>
      api.server.app.inject({
        method: 'GET',
        url: '/graphql',
        query: { query },
        headers: { authorization: `Bearer ${user.token}`, 'apollo-require-preflight': 'true' },
      });

    const miss = await get();
    await scopeKeys(user);
    const hit = await get();

    expect([miss.headers['x-cache'], hit.headers['x-cache']]).toEqual(['MISS', 'HIT']);
    // The server keeps the answer for its tier (300 s); the browser must revalidate every use.
    expect(miss.headers['cache-control']).toBe('private, no-cache');
    expect(hit.headers['cache-control']).toBe('private, no-cache');
    await expectTtl(await responseKey(user), 300);
  });

  it('keys the fences a write moves as fence:v1:{userId}:name, kept two days', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1 });

    const write = await api.execute(CacheUpdateTaskStatusDocument, { input: { id: taskId!, status: 'RUNNING' } }, { as: user.agent });

    expect(write.errors).toBeUndefined();
    const fences = await backend.keys(`fence:v1:{${user.id}}:*`);
    expect(fences).toEqual([`fence:v1:{${user.id}}:task:${taskId}`, `fence:v1:{${user.id}}:tasks`]);
    for (const fence of fences) await expectTtl(fence, 2 * 24 * 3_600);
  });

  it('keys a persisted query as pq:v2:apq:sha256 for the day tier, shared by every user', async () => {
    const user = await api.createUser();
    const query = `query CacheKeysPersisted { viewer { id } } # ${kind}`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');

    const response = await api.server.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
      payload: { query, extensions: { persistedQuery: { version: 1, sha256Hash } } },
    });

    expect(response.statusCode).toBe(200);
    const key = `pq:v2:apq:${sha256Hash}`;
    await eventually('the persisted query', async () => (await backend.keys(key)).length === 1);
    // Stripped of ignored characters (the comment among them): what a document costs to keep.
    expect(await backend.client.get(key)).toBe('query CacheKeysPersisted{viewer{id}}');
    await expectTtl(key, 86_400);
  });

  it('honours a tier override: CACHE_TTL_SHORT_S=5 keeps a task and its response 5 s', async () => {
    const shortLived = await api.startSibling({ CACHE_TTL_SHORT_S: '5' });
    try {
      await untilStoreAnswers(shortLived.cache.store);
      const user = await shortLived.createUser();
      const [taskId] = await createTaskTree(shortLived.db, user.id, { tasks: 1 });

      await shortLived.execute(CacheTaskDocument, { id: taskId! }, { as: user });

      await scopeKeys(user);
      await expectTtl(`tasks:v1:{${user.id}}:${taskId}`, 5);
      await expectTtl(await responseKey(user), 5);
    } finally {
      await shortLived.close();
    }
  });

  it('creates nothing in a scope but fences and the written row when a mutation runs', async () => {
    const user = await api.createUser();

    const created = await api.execute(CacheCreateTaskDocument, { input: { topic: 'A new one' } }, { as: user });

    expect(created.errors).toBeUndefined();
    expect(created.headers['x-cache']).toBe('MISS');
    // The write path writes the new row through (src/writes/): its entry and its fence, never the mutation's response.
    const taskId = created.data!.createTask.id;
    expect((await backend.keys(`*{${user.id}}*`)).sort()).toEqual(
      [`fence:v1:{${user.id}}:task:${taskId}`, `fence:v1:{${user.id}}:tasks`, `tasks:v1:{${user.id}}:${taskId}`].sort(),
    );
  });
});
