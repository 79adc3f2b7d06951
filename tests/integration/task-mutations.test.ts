import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITE_THROUGH_MAX_ROWS } from '../../src/writes/write-path.js';
import {
  CacheTaskDocument,
  TasksCancelTaskDocument,
  TasksCreateTaskDocument,
  TasksCreateTasksDocument,
  TasksDeleteTaskDocument,
  TasksPageDocument,
  TasksTaskByIdDocument,
  TasksUpdateTaskStatusDocument,
  TasksUpdateTasksStatusDocument,
  type CreateTaskInput,
  type UpdateTaskStatusInput,
} from '../generated/graphql.js';
import { createConversations, createTaskTree, type TaskTreeShape } from '../helpers/factories.js';
import { errorCodesOf as codesOf, startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());


async function countTasks(userId: string): Promise<number> {
  const row = await api.db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** What the database holds for these tasks, in the order of `ids`. */
async function storedTasks(ids: readonly string[]) {
  const rows = await api.db
    .selectFrom('tasks')
    .select(['id', 'topic', 'status', 'priority', 'progress', 'error', 'options', 'updatedAt'])
    .where('id', 'in', ids)
    .execute();
  return ids.map((id) => rows.find((row) => row.id === id));
}

async function tasksOf(user: TestUser, shape: TaskTreeShape): Promise<string[]> {
  return createTaskTree(api.db, user.id, shape);
}

const inputs = (count: number, topic = (i: number) => `Batch task ${i}`): CreateTaskInput[] =>
  Array.from({ length: count }, (_, i) => ({ topic: topic(i) }));

const withoutTransactionControl = (statements: readonly string[]) => statements.filter((statement) => !/^(begin|commit|rollback)\b/i.test(statement.trim()));

/** Statements that insert, a data-modifying WITH included (the batch insert answers one row through one). */
const inserts = (statements: readonly string[]) => statements.filter((statement) => /\binsert into\b/i.test(statement));
const insertsIntoTasks = (statements: readonly string[]) => statements.filter((statement) => /\binsert into "?tasks"?[\s(]/i.test(statement));

describe('createTask', () => {
  it('creates a PENDING, NORMAL task with progress 0 and empty options by default', async () => {
    const user = await api.createUser();

    const response = await api.execute(TasksCreateTaskDocument, { input: { topic: 'A walk in the forest' } }, { as: user });

    expect(response.errors).toBeUndefined();
    const task = response.data!.createTask;
    expect(task).toEqual({
      id: expect.any(String),
      topic: 'A walk in the forest',
      status: 'PENDING',
      priority: 'NORMAL',
      progress: 0,
      error: null,
      options: {},
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await storedTasks([task.id])).toEqual([
      expect.objectContaining({ topic: 'A walk in the forest', status: 'pending', priority: 'normal', progress: 0, error: null, options: {} }),
    ]);
  });

  it('stores the topic trimmed', async () => {
    const user = await api.createUser();

    const response = await api.execute(TasksCreateTaskDocument, { input: { topic: '  \t Whales of the Arctic \n' } }, { as: user });

    expect(response.data!.createTask.topic).toBe('Whales of the Arctic');
    expect((await storedTasks([response.data!.createTask.id]))[0]!.topic).toBe('Whales of the Arctic');
  });

  it('accepts a topic of 500 characters', async () => {
    const user = await api.createUser();
    const topic = 'x'.repeat(500);

    const response = await api.execute(TasksCreateTaskDocument, { input: { topic } }, { as: user });

    expect(response.errors).toBeUndefined();
    expect(response.data!.createTask.topic).toBe(topic);
  });

  it.each([
    ['empty', ''],
    ['blank', ' \t\n '],
    ['501 characters long', 'x'.repeat(501)],
  ])('refuses a topic that is %s with BAD_USER_INPUT and writes nothing', async (_name, topic) => {
    const user = await api.createUser();

    const response = await api.execute(TasksCreateTaskDocument, { input: { topic } }, { as: user });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(await countTasks(user.id)).toBe(0);
  });

  it('stores the priority and options given, and a later read answers them', async () => {
    const user = await api.createUser();
    const options = { style: 'noir', voice: { name: 'Ava', speed: 0.9 }, scenes: [3, 1, 2], subtitles: false, note: null, emoji: '🎬' };

    const created = await api.execute(TasksCreateTaskDocument, { input: { topic: 'Night city', priority: 'URGENT', options } }, { as: user });
    const id = created.data!.createTask.id;
    const read = await api.execute(TasksTaskByIdDocument, { id }, { as: user });

    expect(created.data!.createTask).toMatchObject({ priority: 'URGENT', options });
    expect((await storedTasks([id]))[0]).toMatchObject({ priority: 'urgent', options });
    expect(read.data!.task).toEqual(created.data!.createTask);
  });

  it('refuses options larger than 64 KB of JSON with BAD_USER_INPUT and writes nothing', async () => {
    const user = await api.createUser();

    const response = await api.execute(TasksCreateTaskDocument, { input: { topic: 'Big', options: { blob: 'x'.repeat(64 * 1024) } } }, { as: user });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(await countTasks(user.id)).toBe(0);
  });
});

describe('createTasks', () => {
  it('makes time-ordered ids (UUIDv7): a later batch sorts after an earlier one', async () => {
    const user = await api.createUser();
    const first = await api.execute(TasksCreateTasksDocument, { inputs: inputs(3) }, { as: user });
    const second = await api.execute(TasksCreateTasksDocument, { inputs: inputs(3) }, { as: user });

    const [a, b] = [first, second].map((answer) => answer.data!.createTasks.map((task) => task.id));
    for (const id of [...a!, ...b!]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...a!].sort().at(-1)! < [...b!].sort()[0]!).toBe(true);
  });

  it(`writes a batch of up to ${WRITE_THROUGH_MAX_ROWS} tasks through to the cache, and a larger one not: a later read loads it, as created`, async () => {
    const user = await api.createUser();
    const small = await api.execute(TasksCreateTasksDocument, { inputs: inputs(2) }, { as: user });
    const large = await api.execute(TasksCreateTasksDocument, { inputs: inputs(WRITE_THROUGH_MAX_ROWS + 1) }, { as: user });
    const read = (id: string) => api.recordSql(() => api.execute(CacheTaskDocument, { id }, { as: user }));

    const [smallId, largeId] = [small.data!.createTasks[0]!.id, large.data!.createTasks[0]!.id];
    const [smallRead, largeRead] = [await read(smallId), await read(largeId)];

    expect(smallRead.result.data?.task).toEqual({ id: smallId, topic: 'Batch task 0', status: 'PENDING', progress: 0 });
    expect(largeRead.result.data?.task).toEqual({ id: largeId, topic: 'Batch task 0', status: 'PENDING', progress: 0 });
    if (api.cache.enabled) {
      expect(withoutTransactionControl(smallRead.statements)).toEqual([]);
      expect(withoutTransactionControl(largeRead.statements)).toHaveLength(1);
    }
  });

  it('answers a retry whose options list their keys in another order with the first call, creating nothing', async () => {
    const user = await api.createUser();
    const options = (order: 'sorted' | 'reversed') =>
      order === 'sorted' ? { a: 1, b: { c: [1, { d: true, e: 'x' }] } } : { b: { c: [1, { e: 'x', d: true }] }, a: 1 };
    const send = (order: 'sorted' | 'reversed') =>
      api.execute(TasksCreateTasksDocument, { inputs: [{ topic: 'Reordered', options: options(order) }], idempotencyKey: 'reordered' }, { as: user });

    const first = await send('reversed');
    const retry = await send('sorted');

    expect(retry.errors).toBeUndefined();
    expect(retry.data!.createTasks.map((task) => task.id)).toEqual(first.data!.createTasks.map((task) => task.id));
    expect(await countTasks(user.id)).toBe(1);
  });

  it('creates 100 tasks in one insert statement and answers them in input order', async () => {
    const user = await api.createUser();
    const priorities = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;
    const batch = inputs(100, (i) => `Topic ${(i * 37) % 100} of the batch`).map((input, i) => ({
      ...input,
      priority: priorities[i % 4],
      options: { n: i },
    }));

    const { result, statements } = await api.recordSql(() => api.execute(TasksCreateTasksDocument, { inputs: batch }, { as: user }));

    expect(result.errors).toBeUndefined();
    const created = result.data!.createTasks;
    expect(created.map((task) => task.topic)).toEqual(batch.map((input) => input.topic));
    expect(created.map((task) => task.priority)).toEqual(batch.map((input) => input.priority));
    expect(created.map((task) => task.options)).toEqual(batch.map((input) => input.options));
    expect(new Set(created.map((task) => task.id)).size).toBe(100);
    expect(inserts(statements)).toHaveLength(1);
    expect(await countTasks(user.id)).toBe(100);
    expect((await storedTasks(created.map((task) => task.id))).map((row) => row?.topic)).toEqual(batch.map((input) => input.topic));
  });

  it('creates 500 tasks, the most a batch may hold', async () => {
    const user = await api.createUser();

    const response = await api.execute(TasksCreateTasksDocument, { inputs: inputs(500) }, { as: user });

    expect(response.errors).toBeUndefined();
    expect(response.data!.createTasks).toHaveLength(500);
    expect(await countTasks(user.id)).toBe(500);
  });

  it('refuses the whole batch when item 7 is bad, naming index 7, and writes nothing', async () => {
    const user = await api.createUser();
    const batch = inputs(12);
    batch[7] = { topic: '   ' };

    const response = await api.execute(TasksCreateTasksDocument, { inputs: batch }, { as: user });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions?.index).toBe(7);
    expect(await countTasks(user.id)).toBe(0);
  });

  it('names the index of an item whose options are too large, and writes nothing', async () => {
    const user = await api.createUser();
    const batch = inputs(5);
    batch[3] = { topic: 'Big', options: { blob: 'x'.repeat(64 * 1024) } };

    const response = await api.execute(TasksCreateTasksDocument, { inputs: batch }, { as: user });

    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions?.index).toBe(3);
    expect(await countTasks(user.id)).toBe(0);
  });

  it('refuses an empty batch with BAD_USER_INPUT', async () => {
    const user = await api.createUser();

    const response = await api.execute(TasksCreateTasksDocument, { inputs: [] }, { as: user });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses 501 items with BATCH_TOO_LARGE and writes nothing', async () => {
    const user = await api.createUser();

    const response = await api.execute(TasksCreateTasksDocument, { inputs: inputs(501) }, { as: user });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['BATCH_TOO_LARGE']);
    expect(await countTasks(user.id)).toBe(0);
  });
});

describe('createTasks with an idempotencyKey', () => {
  it('answers a retry with the same key and payload with the same tasks, writing no more rows', async () => {
    const user = await api.createUser();
    const batch = inputs(6).map((input, i) => ({ ...input, options: { take: i } }));

    const first = await api.execute(TasksCreateTasksDocument, { inputs: batch, idempotencyKey: 'import-42' }, { as: user });
    const { result: retry, statements } = await api.recordSql(() =>
      api.execute(TasksCreateTasksDocument, { inputs: batch, idempotencyKey: 'import-42' }, { as: user }),
    );

    expect(first.errors).toBeUndefined();
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.createTasks.map((task) => task.id)).toEqual(first.data!.createTasks.map((task) => task.id));
    expect(retry.data!.createTasks).toEqual(first.data!.createTasks);
    expect(await countTasks(user.id)).toBe(6);
    expect(insertsIntoTasks(statements)).toHaveLength(0);
  });

  it('inserts the tasks of a first call with a key in one insert into tasks', async () => {
    const user = await api.createUser();

    const { result, statements } = await api.recordSql(() =>
      api.execute(TasksCreateTasksDocument, { inputs: inputs(50), idempotencyKey: 'one-statement' }, { as: user }),
    );

    expect(result.data!.createTasks).toHaveLength(50);
    expect(insertsIntoTasks(statements)).toHaveLength(1);
  });

  it('refuses the same key with another payload with IDEMPOTENCY_KEY_REUSED, writing nothing', async () => {
    const user = await api.createUser();
    await api.execute(TasksCreateTasksDocument, { inputs: inputs(3), idempotencyKey: 'nightly' }, { as: user });

    const changedTopic = await api.execute(TasksCreateTasksDocument, { inputs: inputs(3, (i) => `Other ${i}`), idempotencyKey: 'nightly' }, { as: user });
    const changedPriority = await api.execute(
      TasksCreateTasksDocument,
      { inputs: inputs(3).map((input) => ({ ...input, priority: 'HIGH' as const })), idempotencyKey: 'nightly' },
      { as: user },
    );
    const fewerItems = await api.execute(TasksCreateTasksDocument, { inputs: inputs(2), idempotencyKey: 'nightly' }, { as: user });

    for (const response of [changedTopic, changedPriority, fewerItems]) {
      expect(response.data).toBeNull();
      expect(codesOf(response)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    }
    expect(await countTasks(user.id)).toBe(3);
  });

  it('keeps keys per user: another user may use the same key for their own tasks', async () => {
    const [alice, bob] = [await api.createUser(), await api.createUser()];

    const forAlice = await api.execute(TasksCreateTasksDocument, { inputs: inputs(4), idempotencyKey: 'shared-key' }, { as: alice });
    const forBob = await api.execute(TasksCreateTasksDocument, { inputs: inputs(4), idempotencyKey: 'shared-key' }, { as: bob });

    expect(forBob.errors).toBeUndefined();
    const aliceIds = forAlice.data!.createTasks.map((task) => task.id);
    const bobIds = forBob.data!.createTasks.map((task) => task.id);
    expect(bobIds.filter((id) => aliceIds.includes(id))).toEqual([]);
    expect(await countTasks(alice.id)).toBe(4);
    expect(await countTasks(bob.id)).toBe(4);
  });

  it('writes once for two concurrent requests with one key, and answers both with the same tasks', async () => {
    const user = await api.createUser();
    const batch = inputs(20);
    // Warm up: the user check is cached, so both requests race on the key alone.
    await api.execute(TasksPageDocument, { first: 0 }, { as: user });

    const [a, b] = await Promise.all([
      api.execute(TasksCreateTasksDocument, { inputs: batch, idempotencyKey: 'double-click' }, { as: user }),
      api.execute(TasksCreateTasksDocument, { inputs: batch, idempotencyKey: 'double-click' }, { as: user }),
    ]);

    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(a.data!.createTasks.map((task) => task.id)).toEqual(b.data!.createTasks.map((task) => task.id));
    expect(await countTasks(user.id)).toBe(20);
  });

  it.each([
    ['empty', ''],
    ['longer than 200 characters', 'k'.repeat(201)],
  ])('refuses a key that is %s with BAD_USER_INPUT', async (_name, idempotencyKey) => {
    const user = await api.createUser();

    const response = await api.execute(TasksCreateTasksDocument, { inputs: inputs(2), idempotencyKey }, { as: user });

    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(await countTasks(user.id)).toBe(0);
  });
});

describe('updateTaskStatus', () => {
  it('moves a PENDING task to RUNNING with the progress given', async () => {
    const user = await api.createUser();
    const [id] = await tasksOf(user, { tasks: 1 });

    const response = await api.execute(TasksUpdateTaskStatusDocument, { input: { id: id!, status: 'RUNNING', progress: 0.25 } }, { as: user.agent });

    expect(response.errors).toBeUndefined();
    expect(response.data!.updateTaskStatus).toMatchObject({ id, status: 'RUNNING', progress: 0.25, error: null });
    expect((await storedTasks([id!]))[0]).toMatchObject({ status: 'running', progress: 0.25 });
  });

  it('moves a RUNNING task to COMPLETED with progress 1', async () => {
    const user = await api.createUser();
    const [id] = await tasksOf(user, { tasks: 1, status: 'running' });
    await api.db.updateTable('tasks').set({ progress: 0.6 }).where('id', '=', id!).execute();

    const response = await api.execute(TasksUpdateTaskStatusDocument, { input: { id: id!, status: 'COMPLETED' } }, { as: user.agent });

    expect(response.data!.updateTaskStatus).toMatchObject({ status: 'COMPLETED', progress: 1, error: null });
    expect((await storedTasks([id!]))[0]).toMatchObject({ status: 'completed', progress: 1 });
  });

  it('moves a RUNNING task to FAILED and keeps the error and the progress it had', async () => {
    const user = await api.createUser();
    const [id] = await tasksOf(user, { tasks: 1, status: 'running' });
    await api.db.updateTable('tasks').set({ progress: 0.4 }).where('id', '=', id!).execute();

    const response = await api.execute(
      TasksUpdateTaskStatusDocument,
      { input: { id: id!, status: 'FAILED', error: 'The render farm is down' } },
      { as: user.agent },
    );

    expect(response.data!.updateTaskStatus).toMatchObject({ status: 'FAILED', progress: 0.4, error: 'The render farm is down' });
    expect((await storedTasks([id!]))[0]).toMatchObject({ status: 'failed', progress: 0.4, error: 'The render farm is down' });
  });

  it('lets the progress of a RUNNING task grow', async () => {
    const user = await api.createUser();
    const [id] = await tasksOf(user, { tasks: 1, status: 'running' });

    await api.execute(TasksUpdateTaskStatusDocument, { input: { id: id!, status: 'RUNNING', progress: 0.3 } }, { as: user.agent });
    const response = await api.execute(TasksUpdateTaskStatusDocument, { input: { id: id!, status: 'RUNNING', progress: 0.7 } }, { as: user.agent });

    expect(response.data!.updateTaskStatus).toMatchObject({ status: 'RUNNING', progress: 0.7 });
  });

  it.each([
    ['COMPLETED', 'completed', 'RUNNING'],
    ['COMPLETED', 'completed', 'PENDING'],
    ['FAILED', 'failed', 'RUNNING'],
    ['CANCELLED', 'cancelled', 'RUNNING'],
    ['PENDING', 'pending', 'COMPLETED'],
  ] as const)('refuses %s -> %s with INVALID_TRANSITION and changes nothing', async (from, stored, to) => {
    const user = await api.createUser();
    const [id] = await tasksOf(user, { tasks: 1, status: stored });
    const [before] = await storedTasks([id!]);

    const response = await api.execute(TasksUpdateTaskStatusDocument, { input: { id: id!, status: to } }, { as: user.agent });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['INVALID_TRANSITION']);
    expect(response.errors![0]!.extensions).toMatchObject({ from, to });
    expect(await storedTasks([id!])).toEqual([before]);
  });

  it('refuses progress going down while RUNNING with INVALID_TRANSITION and keeps the progress', async () => {
    const user = await api.createUser();
    const [id] = await tasksOf(user, { tasks: 1, status: 'running' });
    await api.execute(TasksUpdateTaskStatusDocument, { input: { id: id!, status: 'RUNNING', progress: 0.5 } }, { as: user.agent });

    const response = await api.execute(TasksUpdateTaskStatusDocument, { input: { id: id!, status: 'RUNNING', progress: 0.2 } }, { as: user.agent });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['INVALID_TRANSITION']);
    expect((await storedTasks([id!]))[0]).toMatchObject({ status: 'running', progress: 0.5 });
  });

  it.each([1.5, -0.1])('refuses progress %d with BAD_USER_INPUT', async (progress) => {
    const user = await api.createUser();
    const [id] = await tasksOf(user, { tasks: 1 });

    const response = await api.execute(TasksUpdateTaskStatusDocument, { input: { id: id!, status: 'RUNNING', progress } }, { as: user.agent });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect((await storedTasks([id!]))[0]).toMatchObject({ status: 'pending', progress: 0 });
  });

  it("answers NOT_FOUND for a missing task and for another user's, changing nothing", async () => {
    const [owner, stranger] = [await api.createUser(), await api.createUser()];
    const [id] = await tasksOf(owner, { tasks: 1 });

    const foreign = await api.execute(TasksUpdateTaskStatusDocument, { input: { id: id!, status: 'RUNNING' } }, { as: stranger.agent });
    const missing = await api.execute(TasksUpdateTaskStatusDocument, { input: { id: randomUUID(), status: 'RUNNING' } }, { as: stranger.agent });

    expect(codesOf(foreign)).toEqual(['NOT_FOUND']);
    expect(codesOf(missing)).toEqual(['NOT_FOUND']);
    expect((await storedTasks([id!]))[0]!.status).toBe('pending');
  });

  it('is seen by a read in a later request', async () => {
    const user = await api.createUser();
    const [id] = await tasksOf(user, { tasks: 1 });
    const before = await api.execute(TasksTaskByIdDocument, { id: id! }, { as: user });

    await api.execute(TasksUpdateTaskStatusDocument, { input: { id: id!, status: 'RUNNING', progress: 0.1 } }, { as: user.agent });
    const byId = await api.execute(TasksTaskByIdDocument, { id: id! }, { as: user });
    const running = await api.execute(TasksPageDocument, { filter: { status: 'RUNNING' } }, { as: user });

    expect(before.data!.task).toMatchObject({ status: 'PENDING', progress: 0 });
    expect(byId.data!.task).toMatchObject({ status: 'RUNNING', progress: 0.1 });
    expect(running.data!.tasks.edges.map((edge) => edge.node.id)).toEqual([id]);
  });
});

describe('updateTasksStatus', () => {
  it('applies each item with its own values in one UPDATE and answers in input order', async () => {
    const user = await api.createUser();
    const ids = await tasksOf(user, { tasks: 5, status: 'running' });
    const batch: UpdateTaskStatusInput[] = [
      { id: ids[3]!, status: 'RUNNING', progress: 0.3 },
      { id: ids[0]!, status: 'COMPLETED' },
      { id: ids[4]!, status: 'FAILED', error: 'Out of credits' },
      { id: ids[1]!, status: 'CANCELLED' },
      { id: ids[2]!, status: 'RUNNING', progress: 0.9 },
    ];
    await api.execute(TasksPageDocument, { first: 0 }, { as: user });

    const { result, statements } = await api.recordSql(() => api.execute(TasksUpdateTasksStatusDocument, { inputs: batch }, { as: user.agent }));

    expect(result.errors).toBeUndefined();
    expect(result.data!.updateTasksStatus.map(({ id, status, progress, error }) => ({ id, status, progress, error }))).toEqual([
      { id: ids[3], status: 'RUNNING', progress: 0.3, error: null },
      { id: ids[0], status: 'COMPLETED', progress: 1, error: null },
      { id: ids[4], status: 'FAILED', progress: 0, error: 'Out of credits' },
      { id: ids[1], status: 'CANCELLED', progress: 0, error: null },
      { id: ids[2], status: 'RUNNING', progress: 0.9, error: null },
    ]);
    // BEGIN and COMMIT around it are not counted: the batch itself is one statement.
    expect(withoutTransactionControl(statements)).toHaveLength(1);
    expect(withoutTransactionControl(statements)[0]!.toLowerCase()).toMatch(/^update "tasks"/);
    expect((await storedTasks(batch.map((input) => input.id))).map((row) => row?.status)).toEqual([
      'running',
      'completed',
      'failed',
      'cancelled',
      'running',
    ]);
  });

  it("refuses a batch naming another user's task at index 2 with NOT_FOUND and index 2, changing nothing", async () => {
    const [user, other] = [await api.createUser(), await api.createUser()];
    const ids = await tasksOf(user, { tasks: 4 });
    const [foreignId] = await tasksOf(other, { tasks: 1 });
    const before = await storedTasks([...ids, foreignId!]);

    const response = await api.execute(
      TasksUpdateTasksStatusDocument,
      {
        inputs: [
          { id: ids[0]!, status: 'RUNNING', progress: 0.5 },
          { id: ids[1]!, status: 'CANCELLED' },
          { id: foreignId!, status: 'RUNNING' },
          { id: ids[2]!, status: 'FAILED', error: 'x' },
        ],
      },
      { as: user.agent },
    );

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['NOT_FOUND']);
    expect(response.errors![0]!.extensions?.index).toBe(2);
    expect(await storedTasks([...ids, foreignId!])).toEqual(before);
    expect(before.map((row) => row?.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
  });

  it('refuses a batch with a forbidden transition at index 1 with INVALID_TRANSITION and index 1, changing nothing', async () => {
    const user = await api.createUser();
    const pending = await tasksOf(user, { tasks: 2 });
    const [completed] = await tasksOf(user, { tasks: 1, status: 'completed' });
    const before = await storedTasks([...pending, completed!]);

    const response = await api.execute(
      TasksUpdateTasksStatusDocument,
      {
        inputs: [
          { id: pending[0]!, status: 'RUNNING' },
          { id: completed!, status: 'RUNNING' },
          { id: pending[1]!, status: 'CANCELLED' },
        ],
      },
      { as: user.agent },
    );

    expect(codesOf(response)).toEqual(['INVALID_TRANSITION']);
    expect(response.errors![0]!.extensions?.index).toBe(1);
    expect(await storedTasks([...pending, completed!])).toEqual(before);
  });

  it('refuses a batch naming one task twice with BAD_USER_INPUT, changing nothing', async () => {
    const user = await api.createUser();
    const ids = await tasksOf(user, { tasks: 2 });

    const response = await api.execute(
      TasksUpdateTasksStatusDocument,
      {
        inputs: [
          { id: ids[0]!, status: 'RUNNING' },
          { id: ids[1]!, status: 'RUNNING' },
          { id: ids[0]!.toUpperCase(), status: 'CANCELLED' },
        ],
      },
      { as: user.agent },
    );

    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions?.index).toBe(2);
    expect((await storedTasks(ids)).map((row) => row?.status)).toEqual(['pending', 'pending']);
  });

  it('refuses a batch with progress 1.5 at index 1 with BAD_USER_INPUT and index 1', async () => {
    const user = await api.createUser();
    const ids = await tasksOf(user, { tasks: 2 });

    const response = await api.execute(
      TasksUpdateTasksStatusDocument,
      {
        inputs: [
          { id: ids[0]!, status: 'RUNNING' },
          { id: ids[1]!, status: 'RUNNING', progress: 1.5 },
        ],
      },
      { as: user.agent },
    );

    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.extensions?.index).toBe(1);
    expect((await storedTasks(ids)).map((row) => row?.status)).toEqual(['pending', 'pending']);
  });

  it('refuses an empty batch with BAD_USER_INPUT', async () => {
    const user = await api.createUser();

    const response = await api.execute(TasksUpdateTasksStatusDocument, { inputs: [] }, { as: user.agent });

    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('cancelTask', () => {
  it.each(['pending', 'running'] as const)('cancels a %s task', async (status) => {
    const user = await api.createUser();
    const [id] = await tasksOf(user, { tasks: 1, status });

    const response = await api.execute(TasksCancelTaskDocument, { id: id! }, { as: user });

    expect(response.errors).toBeUndefined();
    expect(response.data!.cancelTask).toMatchObject({ id, status: 'CANCELLED', error: null });
    expect((await storedTasks([id!]))[0]!.status).toBe('cancelled');
  });

  it('refuses to cancel a COMPLETED task with INVALID_TRANSITION', async () => {
    const user = await api.createUser();
    const [id] = await tasksOf(user, { tasks: 1, status: 'completed' });

    const response = await api.execute(TasksCancelTaskDocument, { id: id! }, { as: user });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['INVALID_TRANSITION']);
    expect((await storedTasks([id!]))[0]!.status).toBe('completed');
  });

  it('cancels a task named by its id in upper case', async () => {
    const user = await api.createUser();
    const [id] = await tasksOf(user, { tasks: 1 });

    const response = await api.execute(TasksCancelTaskDocument, { id: id!.toUpperCase() }, { as: user });

    expect(response.errors).toBeUndefined();
    expect(response.data!.cancelTask).toMatchObject({ id, status: 'CANCELLED' });
  });

  it("answers NOT_FOUND for another user's task and BAD_USER_INPUT for an id that is not a UUID", async () => {
    const [owner, stranger] = [await api.createUser(), await api.createUser()];
    const [id] = await tasksOf(owner, { tasks: 1 });

    const foreign = await api.execute(TasksCancelTaskDocument, { id: id! }, { as: stranger });
    const malformed = await api.execute(TasksCancelTaskDocument, { id: 'nope' }, { as: stranger });

    expect(codesOf(foreign)).toEqual(['NOT_FOUND']);
    expect(codesOf(malformed)).toEqual(['BAD_USER_INPUT']);
    expect((await storedTasks([id!]))[0]!.status).toBe('pending');
  });
});

describe('deleteTask', () => {
  const countWhereTask = async (table: 'scripts' | 'storyboards' | 'resources', taskId: string) =>
    Number(
      (
        await api.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string | number>().as('count'))
          .where('taskId', '=', taskId)
          .executeTakeFirstOrThrow()
      ).count,
    );

  it('answers the id and deletes the scripts, storyboards and resources of the task, unlinking its conversations', async () => {
    const user = await api.createUser();
    const [doomed, kept] = await tasksOf(user, { tasks: 2, scriptsPerTask: 3, storyboardsPerTask: 4, withMedia: true });
    const conversations = await createConversations(api.db, user.id, { conversations: 2, messagesPerConversation: 3, taskId: doomed! });
    expect(await countWhereTask('resources', doomed!)).toBe(8);

    const response = await api.execute(TasksDeleteTaskDocument, { id: doomed! }, { as: user });

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ deleteTask: doomed });
    expect(await storedTasks([doomed!])).toEqual([undefined]);
    for (const table of ['scripts', 'storyboards', 'resources'] as const) expect(await countWhereTask(table, doomed!)).toBe(0);
    // The other task keeps everything.
    expect([await countWhereTask('scripts', kept!), await countWhereTask('storyboards', kept!), await countWhereTask('resources', kept!)]).toEqual([3, 4, 8]);
    const linked = await api.db.selectFrom('conversations').select(['id', 'taskId']).where('id', 'in', conversations).execute();
    expect(linked.map((row) => row.taskId)).toEqual([null, null]);
    const messages = await api.db.selectFrom('messages').select('id').where('conversationId', 'in', conversations).execute();
    expect(messages).toHaveLength(6);
  });

  it('makes the task null to later reads, absent from the list, and NOT_FOUND to a second delete', async () => {
    const user = await api.createUser();
    const [id, other] = await tasksOf(user, { tasks: 2 });

    await api.execute(TasksDeleteTaskDocument, { id: id! }, { as: user });
    const read = await api.execute(TasksTaskByIdDocument, { id: id! }, { as: user });
    const list = await api.execute(TasksPageDocument, {}, { as: user });
    const again = await api.execute(TasksDeleteTaskDocument, { id: id! }, { as: user });

    expect(read.data).toEqual({ task: null });
    expect(read.errors).toBeUndefined();
    expect(list.data!.tasks.edges.map((edge) => edge.node.id)).toEqual([other]);
    expect(codesOf(again)).toEqual(['NOT_FOUND']);
  });

  it("answers NOT_FOUND for another user's task and leaves it in place", async () => {
    const [owner, stranger] = [await api.createUser(), await api.createUser()];
    const [id] = await tasksOf(owner, { tasks: 1, scriptsPerTask: 1 });

    const response = await api.execute(TasksDeleteTaskDocument, { id: id! }, { as: stranger });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['NOT_FOUND']);
    expect(await countTasks(owner.id)).toBe(1);
    expect(await countWhereTask('scripts', id!)).toBe(1);
  });

  it('answers BAD_USER_INPUT for an id that is not a UUID', async () => {
    const user = await api.createUser();

    const response = await api.execute(TasksDeleteTaskDocument, { id: 'not-a-uuid' }, { as: user });

    expect(response.data).toBeNull();
    expect(codesOf(response)).toEqual(['BAD_USER_INPUT']);
  });
});
