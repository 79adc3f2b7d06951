import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TasksForeignCursorsDocument,
  TasksPageDocument,
  TasksTaskByIdDocument,
  TasksViewerPageDocument,
  type TasksPageQuery,
  type TasksPageQueryVariables,
} from '../generated/graphql.js';
import { createConversations, createTaskTree } from '../helpers/factories.js';
import { errorCodesOf as codesOf, startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

let api: TestApi;
beforeAll(async () => {
  // Statement counts are a property of the uncached path: the cache's own suite covers the other.
  api = await startTestApi({ CACHE_MODE: 'off' });
});
afterAll(() => api.close());

type Page = TasksPageQuery['tasks'];

/** The viewer's task ids in the API's order, computed here from the rows: (created_at, id), both descending or both ascending. */
async function idsInOrder(userId: string, descending = true): Promise<string[]> {
  const rows = await api.db.selectFrom('tasks').select(['id', 'createdAt']).where('userId', '=', userId).execute();
  const sign = descending ? -1 : 1;
  return rows
    .sort((a, b) => sign * (a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    .map((row) => row.id);
}

async function page(user: TestUser, variables: TasksPageQueryVariables = {}): Promise<Page> {
  const response = await api.execute(TasksPageDocument, variables, { as: user });
  expect(response.errors).toBeUndefined();
  return response.data!.tasks;
}

/** Follows endCursor until hasNextPage is false; answers every page in order. */
async function walk(user: TestUser, variables: TasksPageQueryVariables): Promise<Page[]> {
  const pages: Page[] = [];
  let after: string | null | undefined;
  do {
    const next = await page(user, { ...variables, after });
    pages.push(next);
    after = next.pageInfo.endCursor;
    if (pages.length > 1_000) throw new Error('the walk does not end');
  } while (pages.at(-1)!.pageInfo.hasNextPage);
  return pages;
}

const idsOf = (pages: readonly Page[]) => pages.flatMap((p) => p.edges.map((edge) => edge.node.id));

/** Tasks at exact instants, for the bounds of createdAfter/createdBefore. */
async function insertTasksAt(userId: string, instants: readonly string[]): Promise<string[]> {
  const rows = await api.db
    .insertInto('tasks')
    .values(instants.map((createdAt, i) => ({ userId, topic: `At ${i}`, createdAt })))
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('Query.task', () => {
  it("answers one of the viewer's tasks with every field, options as they were stored", async () => {
    const user = await api.createUser();
    const options = { style: 'documentary', voice: { name: 'Ava', speed: 1.25 }, scenes: [1, 2, 3], subtitles: true, note: null, title: 'Ünïcødé ✓' };
    const stored = await api.db
      .insertInto('tasks')
      .values({ userId: user.id, topic: 'The deep sea', priority: 'high', options: JSON.stringify(options) })
      .returningAll()
      .executeTakeFirstOrThrow();

    const response = await api.execute(TasksTaskByIdDocument, { id: stored.id }, { as: user });

    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      task: {
        id: stored.id,
        topic: 'The deep sea',
        status: 'PENDING',
        priority: 'HIGH',
        progress: 0,
        error: null,
        createdAt: stored.createdAt.toISOString(),
        updatedAt: stored.updatedAt.toISOString(),
        options,
      },
    });
  });

  it('reads options in a statement of its own, after the summary row', async () => {
    const user = await api.createUser();
    const [id] = await createTaskTree(api.db, user.id, { tasks: 1 });
    await api.execute(TasksTaskByIdDocument, { id: randomUUID() }, { as: user });

    const { result, statements } = await api.recordSql(() => api.execute(TasksTaskByIdDocument, { id: id! }, { as: user }));

    expect(result.data?.task?.options).toEqual({ style: 'test', n: 1 });
    expect(statements).toHaveLength(2);
    expect(statements.filter((statement) => statement.includes('"options"'))).toHaveLength(1);
    expect(statements[0]).not.toContain('"options"');
  });

  it('accepts the id in upper case', async () => {
    const user = await api.createUser();
    const [id] = await createTaskTree(api.db, user.id, { tasks: 1 });

    const response = await api.execute(TasksTaskByIdDocument, { id: id!.toUpperCase() }, { as: user });

    expect(response.errors).toBeUndefined();
    expect(response.data?.task?.id).toBe(id);
  });

  it('answers null, and no error, for an id that names no task', async () => {
    const user = await api.createUser();

    const response = await api.execute(TasksTaskByIdDocument, { id: randomUUID() }, { as: user });

    expect(response.status).toBe(200);
    expect(response.data).toEqual({ task: null });
    expect(response.errors).toBeUndefined();
  });

  it("answers another user's task exactly as a missing one: null, no error", async () => {
    const [owner, stranger] = [await api.createUser(), await api.createUser()];
    const [foreignId] = await createTaskTree(api.db, owner.id, { tasks: 1 });

    const foreign = await api.execute(TasksTaskByIdDocument, { id: foreignId! }, { as: stranger });
    const missing = await api.execute(TasksTaskByIdDocument, { id: randomUUID() }, { as: stranger });

    expect(foreign.data).toEqual({ task: null });
    expect(foreign.errors).toBeUndefined();
    expect({ status: foreign.status, data: foreign.data }).toEqual({ status: missing.status, data: missing.data });
  });

  it.each(['not-a-uuid', '42', '', '00000000-0000-0000-0000-00000000000g'])('answers BAD_USER_INPUT for the id %j, which is not a UUID', async (id) => {
    const user = await api.createUser();

    const response = await api.execute(TasksTaskByIdDocument, { id }, { as: user });

    expect(response.data).toEqual({ task: null });
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers UNAUTHENTICATED with HTTP status 401 without a token', async () => {
    const owner = await api.createUser();
    const [id] = await createTaskTree(api.db, owner.id, { tasks: 1 });

    const response = await api.execute(TasksTaskByIdDocument, { id: id! });

    expect(response.status).toBe(401);
    expect(response.data).toEqual({ task: null });
    expect(codesOf(response)).toEqual(['UNAUTHENTICATED']);
  });

  it.each([
    ['a garbage bearer token', 'Bearer not.a.jwt'],
    ['a header that is not a bearer token', 'Basic dXNlcjpwYXNz'],
    ['a token signed with another secret', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAiLCJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJl'],
  ])('answers UNAUTHENTICATED with HTTP status 401 for %s', async (_name, authorization) => {
    const owner = await api.createUser();
    const [id] = await createTaskTree(api.db, owner.id, { tasks: 1 });

    const response = await api.execute(TasksTaskByIdDocument, { id: id! }, { headers: { authorization } });

    expect(response.status).toBe(401);
    // The request is refused before execution: no data at all.
    expect(response.data).toBeUndefined();
    expect(codesOf(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('answers UNAUTHENTICATED with HTTP status 401 for a valid token of a user that does not exist', async () => {
    const token = await api.tokens.sign(randomUUID());

    const response = await api.execute(TasksTaskByIdDocument, { id: randomUUID() }, { headers: { authorization: `Bearer ${token}` } });

    expect(response.status).toBe(401);
    expect(codesOf(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('Query.tasks pages', () => {
  it('answers an empty page with null cursors when the viewer has no tasks', async () => {
    const user = await api.createUser();

    expect(await page(user)).toEqual({
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it("lists only the viewer's own tasks", async () => {
    const [user, other] = [await api.createUser(), await api.createUser()];
    await createTaskTree(api.db, user.id, { tasks: 3 });
    await createTaskTree(api.db, other.id, { tasks: 4 });

    const first = await page(user, { first: 100 });

    expect(first.edges.map((edge) => edge.node.id)).toEqual(await idsInOrder(user.id));
  });

  it('answers the first page newest first, then a last page that says it is the last', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 5 });
    const expected = await idsInOrder(user.id);

    const first = await page(user, { first: 3 });
    const last = await page(user, { first: 3, after: first.pageInfo.endCursor });

    expect(first.edges.map((edge) => edge.node.id)).toEqual(expected.slice(0, 3));
    expect(first.nodes.map((node) => node.id)).toEqual(expected.slice(0, 3));
    expect(first.edges.map((edge) => edge.node.topic)).toEqual(['Topic 1', 'Topic 2', 'Topic 3']);
    expect(first.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: first.edges[0]!.cursor,
      endCursor: first.edges[2]!.cursor,
    });
    expect(last.edges.map((edge) => edge.node.id)).toEqual(expected.slice(3));
    expect(last.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
      startCursor: last.edges[0]!.cursor,
      endCursor: last.edges[1]!.cursor,
    });
  });

  it('says there is no next page when the last page is exactly full', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 40 });

    const pages = await walk(user, { first: 10 });

    expect(pages.map((p) => p.edges.length)).toEqual([10, 10, 10, 10]);
    expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, true, false]);
  });

  it.each([
    ['distinct created_at', [{ tasks: 45, spreadMs: 1_000 }]],
    ['one created_at shared by every task', [{ tasks: 57, spreadMs: 0 }]],
    ['a run of ties among distinct times', [{ tasks: 31, spreadMs: 0 }, { tasks: 12, spreadMs: 1_000 }, { tasks: 9, spreadMs: 0 }]],
  ])('walks every task exactly once, newest first, with %s', async (_name, shapes) => {
    const user = await api.createUser();
    for (const shape of shapes) await createTaskTree(api.db, user.id, shape);
    const expected = await idsInOrder(user.id);

    const pages = await walk(user, { first: 10 });
    const ids = idsOf(pages);

    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expected);
    expect(pages).toHaveLength(Math.ceil(expected.length / 10));
    expect(pages.slice(1).every((p) => p.pageInfo.hasPreviousPage)).toBe(true);
  });

  it.each([
    ['distinct created_at', { tasks: 23, spreadMs: 1_000 }],
    ['one created_at shared by every task', { tasks: 37, spreadMs: 0 }],
  ])('walks every task exactly once, oldest first, with CREATED_AT_ASC and %s', async (_name, shape) => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, shape);
    const expected = await idsInOrder(user.id, false);

    const ids = idsOf(await walk(user, { first: 7, orderBy: 'CREATED_AT_ASC' }));

    expect(ids).toEqual(expected);
    expect(ids).toEqual([...(await idsInOrder(user.id))].reverse());
  });

  it('answers an offset page equal to the cursor page at the same position', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 20, spreadMs: 0 });
    await createTaskTree(api.db, user.id, { tasks: 10, spreadMs: 1_000 });

    const firstTen = await page(user, { first: 10 });
    const byCursor = await page(user, { first: 7, after: firstTen.pageInfo.endCursor });
    const byOffset = await page(user, { first: 7, offset: 10 });

    expect(byOffset).toEqual(byCursor);
    expect(byOffset.edges.map((edge) => edge.node.id)).toEqual((await idsInOrder(user.id)).slice(10, 17));
    expect(byOffset.pageInfo.hasPreviousPage).toBe(true);
  });

  it('answers the same page through viewer { tasks } as through Query.tasks', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 8, status: 'running' });
    await createTaskTree(api.db, user.id, { tasks: 6, spreadMs: 0 });
    const cursor = (await page(user, { first: 4 })).pageInfo.endCursor;

    const variableSets: TasksPageQueryVariables[] = [
      {},
      { first: 5, after: cursor },
      { first: 3, offset: 2, orderBy: 'CREATED_AT_ASC' },
      { filter: { status: 'RUNNING' }, first: 100 },
    ];
    for (const variables of variableSets) {
      const viewer = await api.execute(TasksViewerPageDocument, variables, { as: user });
      expect(viewer.errors).toBeUndefined();
      expect(viewer.data!.viewer.id).toBe(user.id);
      expect(viewer.data!.viewer.tasks).toEqual(await page(user, variables));
    }
  });

  it('costs one statement for a page of 20 tasks', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 30 });
    // The first request of a user also checks that the user exists; the page is measured after it.
    await page(user, { first: 1 });

    const { result, statements } = await api.recordSql(() => api.execute(TasksPageDocument, { first: 20 }, { as: user }));

    expect(result.errors).toBeUndefined();
    expect(result.data!.tasks.edges).toHaveLength(20);
    expect(statements).toHaveLength(1);
  });
});

describe('Query.tasks filters', () => {
  it('keeps only the tasks of the given status', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 4, status: 'pending' });
    const running = await createTaskTree(api.db, user.id, { tasks: 3, status: 'running', spreadMs: 0 });
    await createTaskTree(api.db, user.id, { tasks: 2, status: 'completed' });

    const result = await page(user, { filter: { status: 'RUNNING' }, first: 100 });

    expect(result.edges.map((edge) => edge.node.id).sort()).toEqual([...running].sort());
    expect(result.edges.every((edge) => edge.node.status === 'RUNNING')).toBe(true);
    expect(result.pageInfo.hasNextPage).toBe(false);
  });

  it('keeps only the tasks of the given priority, and of both status and priority when both are given', async () => {
    const user = await api.createUser();
    const ids = await createTaskTree(api.db, user.id, { tasks: 6 });
    await api.db.updateTable('tasks').set({ priority: 'urgent' }).where('id', 'in', [ids[0]!, ids[2]!, ids[5]!]).execute();
    await api.db.updateTable('tasks').set({ status: 'running' }).where('id', 'in', [ids[2]!, ids[3]!]).execute();

    const urgent = await page(user, { filter: { priority: 'URGENT' } });
    const urgentAndRunning = await page(user, { filter: { priority: 'URGENT', status: 'RUNNING' } });
    const low = await page(user, { filter: { priority: 'LOW' } });

    expect(urgent.edges.map((edge) => edge.node.id)).toEqual([ids[0], ids[2], ids[5]]);
    expect(urgentAndRunning.edges.map((edge) => edge.node.id)).toEqual([ids[2]]);
    expect(low.edges).toEqual([]);
  });

  it('keeps tasks created at or after createdAfter and strictly before createdBefore', async () => {
    const user = await api.createUser();
    const instants = [0, 1, 2, 3, 4, 5].map((hour) => `2026-03-01T0${hour}:00:00.000Z`);
    const ids = await insertTasksAt(user.id, instants);

    const after = await page(user, { filter: { createdAfter: instants[2] } });
    const before = await page(user, { filter: { createdBefore: instants[4] } });
    const between = await page(user, { filter: { createdAfter: instants[2], createdBefore: instants[4] } });
    const empty = await page(user, { filter: { createdAfter: instants[3], createdBefore: instants[3] } });

    expect(after.edges.map((edge) => edge.node.id)).toEqual([ids[5], ids[4], ids[3], ids[2]]);
    expect(before.edges.map((edge) => edge.node.id)).toEqual([ids[3], ids[2], ids[1], ids[0]]);
    expect(between.edges.map((edge) => edge.node.id)).toEqual([ids[3], ids[2]]);
    expect(between.edges.map((edge) => edge.node.createdAt)).toEqual([instants[3], instants[2]]);
    expect(empty.edges).toEqual([]);
  });

  it('walks a filtered list with cursors', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 15, status: 'failed', spreadMs: 0 });
    await createTaskTree(api.db, user.id, { tasks: 10, status: 'pending', spreadMs: 0 });
    const failedRows = await api.db.selectFrom('tasks').select('id').where('userId', '=', user.id).where('status', '=', 'failed').execute();
    const failedIds = new Set(failedRows.map((row) => row.id));

    const ids = idsOf(await walk(user, { first: 4, filter: { status: 'FAILED' } }));

    expect(ids).toHaveLength(15);
    expect(ids).toEqual((await idsInOrder(user.id)).filter((id) => failedIds.has(id)));
  });
});

describe('Query.tasks arguments', () => {
  it('answers first: 0 with no edges, null cursors and whether tasks exist', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 2 });

    expect(await page(user, { first: 0 })).toEqual({
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it('answers first: 100 with 100 tasks', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 120, spreadMs: 0 });

    const result = await page(user, { first: 100 });

    expect(result.edges.map((edge) => edge.node.id)).toEqual((await idsInOrder(user.id)).slice(0, 100));
    expect(result.pageInfo.hasNextPage).toBe(true);
  });

  it('answers 20 tasks when first is not given', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 25 });

    expect((await page(user)).edges).toHaveLength(20);
  });

  it.each([
    ['first: 101', { first: 101 }, 'PAGE_TOO_LARGE'],
    ['first: -1', { first: -1 }, 'BAD_USER_INPUT'],
    ['offset: 10001', { offset: 10_001 }, 'OFFSET_TOO_LARGE'],
    ['offset: -1', { offset: -1 }, 'BAD_USER_INPUT'],
  ] as const)('refuses %s with %s', async (_name, variables, code) => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 1 });

    const response = await api.execute(TasksPageDocument, variables, { as: user });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual([code]);
  });

  it('answers offset: 10000, past the last task, with an empty page', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 3 });

    expect(await page(user, { offset: 10_000 })).toEqual({
      edges: [],
      nodes: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
    });
  });

  it('refuses offset together with after with BAD_USER_INPUT', async () => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 5 });
    const cursor = (await page(user, { first: 2 })).pageInfo.endCursor;

    const response = await api.execute(TasksPageDocument, { after: cursor, offset: 1 }, { as: user });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  });

  it.each([
    ['not base64 JSON', 'garbage!'],
    ['empty', ''],
    ['a JSON object', base64url({ createdAt: 0, id: randomUUID() })],
    ['a task cursor with too few values', base64url(['task', Date.now()])],
    ['a task cursor whose id is not a UUID', base64url(['task', Date.now(), 'abc'])],
    ['a task cursor whose time is out of range', base64url(['task', 1e20, randomUUID()])],
    ['a task cursor whose time is a string', base64url(['task', '2026-01-01', randomUUID()])],
  ])('refuses a cursor that is %s with BAD_USER_INPUT', async (_name, after) => {
    const user = await api.createUser();
    await createTaskTree(api.db, user.id, { tasks: 2 });

    const response = await api.execute(TasksPageDocument, { after }, { as: user });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses the cursor of a conversation or of a storyboard with BAD_USER_INPUT', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 2, storyboardsPerTask: 2 });
    await createConversations(api.db, user.id, { conversations: 2, messagesPerConversation: 0 });
    const foreign = await api.execute(TasksForeignCursorsDocument, { taskId: taskId! }, { as: user });
    expect(foreign.errors).toBeUndefined();
    const cursors = [foreign.data!.conversations.edges[0]!.cursor, foreign.data!.task!.storyboards.edges[0]!.cursor];

    for (const after of cursors) {
      const response = await api.execute(TasksPageDocument, { after }, { as: user });
      expect(response.data).toBeNull();
      expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    }
  });
});
