import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MediaAddResourcesDocument,
  MediaAddStoryboardsDocument,
  MediaSetStoryboardMediaDocument,
  MediaStoryboardDocument,
  MediaStoryboardPageDocument,
  MediaStoryboardPagesSideBySideDocument,
  MediaStoryboardTwoPagesDocument,
  MediaTaskCursorDocument,
  type AddStoryboardInput,
  type SetStoryboardMediaInput,
} from '../generated/graphql.js';
import { createTaskTree, type TaskTreeShape } from '../helpers/factories.js';
import { startTestApi, type NewTestUser, type TestApi, type TestUser } from '../helpers/test-api.js';
import { encodeCursor } from '../../src/pagination.js';

let api: TestApi;
beforeAll(async () => {
  // Statement counts are a property of the uncached path: the cache's own suite covers the other.
  api = await startTestApi({ CACHE_MODE: 'off' });
});
afterAll(() => api.close());

/** A user with tasks of the given shape, already past their first request. */
async function userWithTasks(shape: TaskTreeShape): Promise<{ user: NewTestUser; taskIds: string[] }> {
  const user = await api.createUser();
  const taskIds = await createTaskTree(api.db, user.id, shape);
  // The first request of a user also checks that the user exists.
  await api.execute(MediaTaskCursorDocument, {}, { as: user });
  return { user, taskIds };
}

/** Storyboards of a task as stored, in the list's (sequence_number, id) order. */
async function storedStoryboards(taskId: string) {
  const rows = await api.db.selectFrom('storyboards').selectAll().where('taskId', '=', taskId).execute();
  return rows.sort((a, b) => a.sequenceNumber - b.sequenceNumber || compareUuids(a.id, b.id));
}

/** PostgreSQL orders uuids byte by byte: the order of their lowercase hex text. */
const compareUuids = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const item = (sequenceNumber: number, extra: Partial<AddStoryboardInput> = {}): AddStoryboardInput => ({
  sequenceNumber,
  description: `Cut ${sequenceNumber}`,
  prompt: `Prompt ${sequenceNumber}`,
  durationSeconds: 2.5,
  ...extra,
});

const readPage = (user: TestUser, taskId: string, first: number, after: string | null) =>
  api.execute(MediaStoryboardPageDocument, { taskId, first, after }, { as: user });

async function walkPages(user: TestUser, taskId: string, first: number) {
  const pages: { ids: string[]; sequenceNumbers: number[]; hasNextPage: boolean; hasPreviousPage: boolean }[] = [];
  let after: string | null = null;
  do {
    const { data, errors } = await readPage(user, taskId, first, after);
    expect(errors).toBeUndefined();
    const connection = data!.task!.storyboards;
    pages.push({
      ids: connection.edges.map((e) => e.node.id),
      sequenceNumbers: connection.edges.map((e) => e.node.sequenceNumber),
      hasNextPage: connection.pageInfo.hasNextPage,
      hasPreviousPage: connection.pageInfo.hasPreviousPage,
    });
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
    after = connection.pageInfo.hasNextPage ? (connection.pageInfo.endCursor ?? null) : null;
  } while (after !== null && pages.length < 20);
  return pages;
}

describe('Task.storyboards', () => {
  it.each([
    [7, 3, [3, 3, 1]],
    [6, 3, [3, 3]],
    [2, 5, [2]],
  ])('walks %i storyboards %i at a time in sequence order, each once, the last page without a next', async (count, first, sizes) => {
    const { user, taskIds } = await userWithTasks({ tasks: 1, storyboardsPerTask: count });

    const pages = await walkPages(user, taskIds[0]!, first);

    expect(pages.map((p) => p.ids.length)).toEqual(sizes);
    expect(pages.flatMap((p) => p.sequenceNumbers)).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(pages.flatMap((p) => p.ids)).toEqual((await storedStoryboards(taskIds[0]!)).map((s) => s.id));
    expect(pages.map((p) => p.hasNextPage)).toEqual(sizes.map((_, i) => i < sizes.length - 1));
    expect(pages.map((p) => p.hasPreviousPage)).toEqual(sizes.map((_, i) => i > 0));
  });

  it('pages storyboards that share a sequence number by id, each once', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1 });
    const taskId = taskIds[0]!;
    const added = await api.execute(MediaAddStoryboardsDocument, { taskId, inputs: [item(1), item(0), item(1), item(1), item(0)] }, { as: user.agent });
    expect(added.errors).toBeUndefined();

    const pages = await walkPages(user, taskId, 2);

    expect(pages.map((p) => p.ids.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((p) => p.ids)).toEqual((await storedStoryboards(taskId)).map((s) => s.id));
    expect(pages.flatMap((p) => p.sequenceNumbers)).toEqual([0, 0, 1, 1, 1]);
  });

  it('answers an empty page that still says more exist for first: 0', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1, storyboardsPerTask: 2 });

    const { data, errors } = await api.execute(MediaStoryboardPageDocument, { taskId: taskIds[0]!, first: 0 }, { as: user });

    expect(errors).toBeUndefined();
    expect(data!.task!.storyboards).toEqual({
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null },
      edges: [],
    });
  });

  it('answers PAGE_TOO_LARGE for first: 101', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1, storyboardsPerTask: 1 });

    const { data, errors } = await api.execute(MediaStoryboardPageDocument, { taskId: taskIds[0]!, first: 101 }, { as: user });

    expect(data).toEqual({ task: null });
    expect(errors).toHaveLength(1);
    expect(errors![0]!.path).toEqual(['task', 'storyboards']);
    expect(errors![0]!.extensions).toMatchObject({ code: 'PAGE_TOO_LARGE', max: 100 });
  });

  it('answers BAD_USER_INPUT for a task cursor passed as a storyboard cursor', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1, storyboardsPerTask: 3 });
    const taskCursor = (await api.execute(MediaTaskCursorDocument, {}, { as: user })).data!.tasks.edges[0]!.cursor;

    const { data, errors } = await api.execute(MediaStoryboardPageDocument, { taskId: taskIds[0]!, first: 2, after: taskCursor }, { as: user });

    expect(data).toEqual({ task: null });
    expect(errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['task', 'storyboards'], 'BAD_USER_INPUT']]);
  });

  it('answers BAD_USER_INPUT for a forged cursor past the integer range, and the other list of the batch still gets its page', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1, storyboardsPerTask: 4 });
    // Well formed but for a sequence number no storyboard can have (sequence_number is an integer column).
    const forged = encodeCursor('storyboard', [3_000_000_000, randomUUID()]);

    const { data, errors } = await api.execute(MediaStoryboardPagesSideBySideDocument, { taskId: taskIds[0]!, after: forged }, { as: user });

    expect(data).toEqual({ plain: { storyboards: { nodes: [{ sequenceNumber: 0 }, { sequenceNumber: 1 }] } }, resumed: null });
    expect(errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['resumed', 'storyboards'], 'BAD_USER_INPUT']]);
  });

  it.each([5, 20])('reads two differently paged lists of %i tasks in the same two statements', async (taskCount) => {
    const { user, taskIds } = await userWithTasks({ tasks: taskCount, storyboardsPerTask: 12 });
    // A cursor of one task's list: past its third storyboard (sequence 2).
    const head = await api.execute(MediaStoryboardPageDocument, { taskId: taskIds[0]!, first: 3 }, { as: user });
    const after = head.data!.task!.storyboards.pageInfo.endCursor!;
    const cursorNode = head.data!.task!.storyboards.edges[2]!.node;
    expect(cursorNode.sequenceNumber).toBe(2);

    const { result, statements } = await api.recordSql(() => api.execute(MediaStoryboardTwoPagesDocument, { tasks: taskCount, after }, { as: user }));

    expect(result.errors).toBeUndefined();
    const tasks = result.data!.tasks.nodes;
    expect(tasks).toHaveLength(taskCount);
    for (const task of tasks) {
      const stored = await storedStoryboards(task.id);
      expect(task.head.nodes.map((s) => s.id)).toEqual(stored.slice(0, 3).map((s) => s.id));
      expect(task.head.pageInfo.hasNextPage).toBe(true);
      // A cursor is a (sequence number, id) position, so on another task's list it starts at
      // sequence 2 or 3 depending on how that task's ids compare with the cursor's id.
      const rest = stored.filter((s) => s.sequenceNumber > 2 || (s.sequenceNumber === 2 && compareUuids(s.id, cursorNode.id) > 0));
      expect(task.rest.nodes.map((s) => s.id)).toEqual(rest.slice(0, 5).map((s) => s.id));
      expect(task.rest.pageInfo.hasNextPage).toBe(true);
    }
    expect(tasks.find((t) => t.id === taskIds[0])!.rest.nodes.map((s) => s.sequenceNumber)).toEqual([3, 4, 5, 6, 7]);
    // 1: the tasks page. 1: both aliases of every task: the 2 x taskCount page keys
    // (page size and cursor in the key) reach the loader in one batch, and all read
    // forward, so one LATERAL statement answers them all. Nothing grows with the tasks.
    expect(statements).toHaveLength(2);
  });
});

describe('Query.storyboard', () => {
  it('answers a storyboard with its task, first-frame image and video', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1, storyboardsPerTask: 2, withMedia: true });
    const [stored] = await storedStoryboards(taskIds[0]!);

    const { data, errors } = await api.execute(MediaStoryboardDocument, { id: stored!.id }, { as: user });

    expect(errors).toBeUndefined();
    expect(data!.storyboard).toEqual({
      id: stored!.id,
      sequenceNumber: 0,
      description: 'Storyboard 0',
      prompt: 'Prompt 0',
      durationSeconds: 4,
      task: { id: taskIds[0] },
      firstFrameImage: { id: stored!.firstFrameImageId, kind: 'IMAGE', url: `https://cdn.test/${stored!.id}/image` },
      video: { id: stored!.videoId, kind: 'VIDEO', url: `https://cdn.test/${stored!.id}/video` },
    });
  });

  it('answers null media for a storyboard without them', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1, storyboardsPerTask: 1 });
    const [stored] = await storedStoryboards(taskIds[0]!);

    const { data, errors } = await api.execute(MediaStoryboardDocument, { id: stored!.id }, { as: user });

    expect(errors).toBeUndefined();
    expect(data!.storyboard).toMatchObject({ id: stored!.id, firstFrameImage: null, video: null });
  });

  it.each([
    ["another user's storyboard", 'foreign', []],
    ['a missing id', 'missing', []],
    ['an id that is not a UUID', 'malformed', ['BAD_USER_INPUT']],
  ] as const)('answers %s with null and the errors %j', async (_case, which, codes) => {
    const { user } = await userWithTasks({ tasks: 1, storyboardsPerTask: 1 });
    const other = await userWithTasks({ tasks: 1, storyboardsPerTask: 1 });
    const ids = { foreign: (await storedStoryboards(other.taskIds[0]!))[0]!.id, missing: randomUUID(), malformed: 'storyboard-1' };

    const { data, errors } = await api.execute(MediaStoryboardDocument, { id: ids[which] }, { as: user });

    expect(data).toEqual({ storyboard: null });
    expect((errors ?? []).map((e) => [e.path, e.extensions?.code])).toEqual(codes.map((code) => [['storyboard'], code]));
  });
});

describe('Mutation.addStoryboards', () => {
  it('adds a batch in one insert statement and answers it in input order', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1 });
    const taskId = taskIds[0]!;
    const inputs = [item(5), item(1, { durationSeconds: 0.5 }), item(3, { description: 'Third' })];

    const { result, statements } = await api.recordSql(() => api.execute(MediaAddStoryboardsDocument, { taskId, inputs }, { as: user.agent }));

    expect(result.errors).toBeUndefined();
    expect(result.data!.addStoryboards.map(({ id: _id, ...rest }) => rest)).toEqual(inputs);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^\s*insert into storyboards/i);
    const stored = await storedStoryboards(taskId);
    expect(stored.map((s) => s.sequenceNumber)).toEqual([1, 3, 5]);
    expect(new Set(stored.map((s) => s.id))).toEqual(new Set(result.data!.addStoryboards.map((s) => s.id)));
  });

  it('answers BAD_USER_INPUT for an empty batch', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1 });

    const { data, errors } = await api.execute(MediaAddStoryboardsDocument, { taskId: taskIds[0]!, inputs: [] }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers BATCH_TOO_LARGE for 501 storyboards and writes nothing', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1 });
    const inputs = Array.from({ length: 501 }, (_, i) => item(i));

    const { data, errors } = await api.execute(MediaAddStoryboardsDocument, { taskId: taskIds[0]!, inputs }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BATCH_TOO_LARGE', max: 500 });
    expect(await storedStoryboards(taskIds[0]!)).toEqual([]);
  });

  it('adds 500 storyboards, the most a batch may hold', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1 });
    const inputs = Array.from({ length: 500 }, (_, i) => item(499 - i));

    const { data, errors } = await api.execute(MediaAddStoryboardsDocument, { taskId: taskIds[0]!, inputs }, { as: user.agent });

    expect(errors).toBeUndefined();
    expect(data!.addStoryboards.map((s) => s.sequenceNumber)).toEqual(inputs.map((i) => i.sequenceNumber));
    expect(await storedStoryboards(taskIds[0]!)).toHaveLength(500);
  });

  it('names the index of a bad item and writes nothing of the batch', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1 });
    const inputs = [item(0), item(1), item(2), item(3), item(4, { durationSeconds: 0 }), item(5)];

    const { data, errors } = await api.execute(MediaAddStoryboardsDocument, { taskId: taskIds[0]!, inputs }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', index: 4, argument: 'inputs' });
    expect(await storedStoryboards(taskIds[0]!)).toEqual([]);
  });

  it("answers NOT_FOUND for another user's task and writes nothing", async () => {
    const { user } = await userWithTasks({ tasks: 1 });
    const other = await userWithTasks({ tasks: 1, storyboardsPerTask: 2 });
    const before = await storedStoryboards(other.taskIds[0]!);

    const { data, errors } = await api.execute(MediaAddStoryboardsDocument, { taskId: other.taskIds[0]!, inputs: [item(7)] }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(await storedStoryboards(other.taskIds[0]!)).toEqual(before);
  });

  it('answers BAD_USER_INPUT for a task id that is not a UUID', async () => {
    const { user } = await userWithTasks({ tasks: 1 });

    const { data, errors } = await api.execute(MediaAddStoryboardsDocument, { taskId: 'task-1', inputs: [item(0)] }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('Mutation.setStoryboardMedia', () => {
  /** A storyboard without media, an image and a video of its task, and a storyboard's row reader. */
  async function storyboardWithMediaToChoose(user: NewTestUser, taskId: string) {
    const added = await api.execute(MediaAddStoryboardsDocument, { taskId, inputs: [item(0)] }, { as: user.agent });
    const resources = await api.execute(
      MediaAddResourcesDocument,
      {
        taskId,
        inputs: [
          { kind: 'IMAGE', url: 'https://cdn.test/frame.png', mimeType: 'image/png' },
          { kind: 'VIDEO', url: 'https://cdn.test/cut.mp4', mimeType: 'video/mp4' },
        ],
      },
      { as: user.agent },
    );
    expect(added.errors ?? resources.errors).toBeUndefined();
    const [image, video] = resources.data!.addResources.map((r) => r.id);
    return { storyboardId: added.data!.addStoryboards[0]!.id, imageId: image!, videoId: video! };
  }

  const mediaOf = (storyboardId: string) =>
    api.db.selectFrom('storyboards').select(['firstFrameImageId', 'videoId']).where('id', '=', storyboardId).executeTakeFirstOrThrow();

  const setMedia = (user: NewTestUser, input: SetStoryboardMediaInput) => api.execute(MediaSetStoryboardMediaDocument, { input }, { as: user.agent });

  it('sets both media, removes one with null and keeps one that is omitted', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1 });
    const { storyboardId, imageId, videoId } = await storyboardWithMediaToChoose(user, taskIds[0]!);

    const set = await setMedia(user, { storyboardId, firstFrameImageId: imageId, videoId });
    expect(set.errors).toBeUndefined();
    expect(set.data!.setStoryboardMedia).toEqual({
      id: storyboardId,
      firstFrameImage: { id: imageId, kind: 'IMAGE' },
      video: { id: videoId, kind: 'VIDEO' },
    });
    expect(await mediaOf(storyboardId)).toEqual({ firstFrameImageId: imageId, videoId });

    const removed = await setMedia(user, { storyboardId, firstFrameImageId: null });
    expect(removed.errors).toBeUndefined();
    expect(removed.data!.setStoryboardMedia).toEqual({ id: storyboardId, firstFrameImage: null, video: { id: videoId, kind: 'VIDEO' } });
    expect(await mediaOf(storyboardId)).toEqual({ firstFrameImageId: null, videoId });

    const unchanged = await setMedia(user, { storyboardId });
    expect(unchanged.errors).toBeUndefined();
    expect(unchanged.data!.setStoryboardMedia).toEqual({ id: storyboardId, firstFrameImage: null, video: { id: videoId, kind: 'VIDEO' } });

    const videoRemoved = await setMedia(user, { storyboardId, videoId: null, firstFrameImageId: imageId });
    expect(videoRemoved.data!.setStoryboardMedia).toEqual({ id: storyboardId, firstFrameImage: { id: imageId, kind: 'IMAGE' }, video: null });
    expect(await mediaOf(storyboardId)).toEqual({ firstFrameImageId: imageId, videoId: null });
  });

  it('answers BAD_USER_INPUT for an image passed as the video and changes nothing', async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1 });
    const { storyboardId, imageId, videoId } = await storyboardWithMediaToChoose(user, taskIds[0]!);
    await setMedia(user, { storyboardId, firstFrameImageId: imageId, videoId });

    const { data, errors } = await setMedia(user, { storyboardId, firstFrameImageId: null, videoId: imageId });

    expect(data).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'videoId' });
    expect(await mediaOf(storyboardId)).toEqual({ firstFrameImageId: imageId, videoId });
  });

  it("answers BAD_USER_INPUT for a resource of another of the user's tasks and changes nothing", async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 2 });
    const { storyboardId } = await storyboardWithMediaToChoose(user, taskIds[0]!);
    const elsewhere = await storyboardWithMediaToChoose(user, taskIds[1]!);

    const { data, errors } = await setMedia(user, { storyboardId, firstFrameImageId: elsewhere.imageId });

    expect(data).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'firstFrameImageId' });
    expect(await mediaOf(storyboardId)).toEqual({ firstFrameImageId: null, videoId: null });
  });

  it("answers NOT_FOUND for another user's resource and changes nothing", async () => {
    const { user, taskIds } = await userWithTasks({ tasks: 1 });
    const { storyboardId, imageId } = await storyboardWithMediaToChoose(user, taskIds[0]!);
    await setMedia(user, { storyboardId, firstFrameImageId: imageId });
    const other = await userWithTasks({ tasks: 1 });
    const foreign = await storyboardWithMediaToChoose(other.user, other.taskIds[0]!);

    const { data, errors } = await setMedia(user, { storyboardId, videoId: foreign.videoId });

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(await mediaOf(storyboardId)).toEqual({ firstFrameImageId: imageId, videoId: null });
  });

  it("answers NOT_FOUND for another user's storyboard and changes nothing", async () => {
    const { user } = await userWithTasks({ tasks: 1 });
    const other = await userWithTasks({ tasks: 1 });
    const foreign = await storyboardWithMediaToChoose(other.user, other.taskIds[0]!);

    // Even with resources that are the storyboard's own: the storyboard is not the viewer's.
    const { data, errors } = await setMedia(user, { storyboardId: foreign.storyboardId, firstFrameImageId: foreign.imageId, videoId: null });

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(await mediaOf(foreign.storyboardId)).toEqual({ firstFrameImageId: null, videoId: null });
  });

  it('answers NOT_FOUND for a missing storyboard', async () => {
    const { user } = await userWithTasks({ tasks: 1 });

    const { data, errors } = await setMedia(user, { storyboardId: randomUUID(), videoId: null });

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });
});
