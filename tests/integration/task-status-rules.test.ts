import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TasksCancelTaskDocument,
  TasksUpdateTaskStatusDocument,
  TasksUpdateTasksStatusDocument,
  type TaskStatus,
  type UpdateTaskStatusInput,
} from '../generated/graphql.js';
import { createTaskTree } from '../helpers/factories.js';
import { errorCodesOf as codesOf, startTestApi, type TestApi, type TestUser } from '../helpers/test-api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const STATUSES = ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const satisfies readonly TaskStatus[];

/** The rules as the README states them, written out here rather than read from the code under test. */
const ALLOWED = new Set([
  'PENDING -> RUNNING',
  'PENDING -> FAILED',
  'PENDING -> CANCELLED',
  'RUNNING -> RUNNING',
  'RUNNING -> COMPLETED',
  'RUNNING -> FAILED',
  'RUNNING -> CANCELLED',
]);
const PAIRS = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to, ALLOWED.has(`${from} -> ${to}`)] as const));


/** A new user, signed in as the agent's workers are: status and progress need the agent scope. */
const agent = async (): Promise<TestUser> => (await api.createUser()).agent;

/** One task of the user in `status` with `progress` (COMPLETED: 1), written straight to the table. */
async function taskIn(user: TestUser, status: TaskStatus, progress = status === 'COMPLETED' ? 1 : 0): Promise<string> {
  const [id] = await createTaskTree(api.db, user.id, { tasks: 1, status: status.toLowerCase() as Lowercase<TaskStatus> });
  await api.db.updateTable('tasks').set({ progress }).where('id', '=', id!).execute();
  return id!;
}

const stored = (id: string) =>
  api.db.selectFrom('tasks').select(['status', 'progress', 'error', 'updatedAt']).where('id', '=', id).executeTakeFirstOrThrow();

const change = (id: string, to: TaskStatus, progress?: number): UpdateTaskStatusInput => ({
  id,
  status: to,
  ...(progress === undefined ? {} : { progress }),
  ...(to === 'FAILED' ? { error: 'The render farm is down' } : {}),
});

describe('updateTaskStatus over all 25 status pairs', () => {
  it.each(PAIRS)('%s -> %s: allowed %s', async (from, to, allowed) => {
    const user = await agent();
    const id = await taskIn(user, from);
    const before = await stored(id);

    const response = await api.execute(TasksUpdateTaskStatusDocument, { input: change(id, to) }, { as: user });

    if (allowed) {
      expect(response.errors).toBeUndefined();
      expect(response.data!.updateTaskStatus).toMatchObject({ id, status: to, progress: to === 'COMPLETED' ? 1 : before.progress });
      expect(await stored(id)).toMatchObject({ status: to.toLowerCase(), error: to === 'FAILED' ? 'The render farm is down' : null });
    } else {
      expect(response.data).toBeNull();
      expect(codesOf(response)).toEqual(['INVALID_TRANSITION']);
      expect(response.errors![0]!.extensions).toMatchObject({ id, from, to, reason: 'TRANSITION' });
      expect(await stored(id)).toEqual(before);
    }
  });
});

describe('updateTasksStatus over all 25 status pairs', () => {
  // Each pair follows an allowed change of another task: a refused pair must leave that one unwritten too.
  it.each(PAIRS)('%s -> %s: allowed %s, all or none', async (from, to, allowed) => {
    const user = await agent();
    const [other, id] = [await taskIn(user, 'PENDING'), await taskIn(user, from)];
    const before = [await stored(other), await stored(id)];

    const response = await api.execute(TasksUpdateTasksStatusDocument, { inputs: [change(other, 'RUNNING', 0.5), change(id, to)] }, { as: user });

    if (allowed) {
      expect(response.errors).toBeUndefined();
      expect(response.data!.updateTasksStatus.map((task) => [task.id, task.status])).toEqual([
        [other, 'RUNNING'],
        [id, to],
      ]);
      expect((await stored(id)).status).toBe(to.toLowerCase());
    } else {
      expect(response.data).toBeNull();
      expect(codesOf(response)).toEqual(['INVALID_TRANSITION']);
      expect(response.errors![0]!.extensions).toMatchObject({ index: 1, id, from, to, reason: 'TRANSITION' });
      expect([await stored(other), await stored(id)]).toEqual(before);
    }
  });
});

describe('the progress rules', () => {
  it.each([
    // from, its progress, to, the progress given, the progress after (undefined: refused by the progress rule)
    ['PENDING', 0, 'RUNNING', 0.3, 0.3],
    ['PENDING', 0.7, 'RUNNING', 0.1, undefined],
    ['PENDING', 0.2, 'RUNNING', undefined, 0.2],
    ['RUNNING', 0.5, 'RUNNING', 0.7, 0.7],
    ['RUNNING', 0.5, 'RUNNING', 0.5, 0.5],
    ['RUNNING', 0.5, 'RUNNING', undefined, 0.5],
    ['RUNNING', 0.5, 'RUNNING', 0.2, undefined],
    ['RUNNING', 0.5, 'COMPLETED', undefined, 1],
    ['RUNNING', 0.5, 'COMPLETED', 1, 1],
    ['RUNNING', 0.5, 'COMPLETED', 0.9, undefined],
    ['RUNNING', 0.5, 'FAILED', undefined, 0.5],
    ['RUNNING', 0.5, 'FAILED', 0.8, 0.8],
    ['RUNNING', 0.5, 'FAILED', 0.2, undefined],
    ['RUNNING', 0.5, 'CANCELLED', undefined, 0.5],
    ['RUNNING', 0.5, 'CANCELLED', 0.3, undefined],
    ['PENDING', 0.4, 'FAILED', 0, undefined],
    ['PENDING', 0.4, 'CANCELLED', undefined, 0.4],
  ] as const)('%s at %d -> %s with progress %s leaves %s', async (from, progress, to, given, after) => {
    const user = await agent();
    const id = await taskIn(user, from, progress);
    const before = await stored(id);

    const response = await api.execute(TasksUpdateTaskStatusDocument, { input: change(id, to, given) }, { as: user });

    if (after === undefined) {
      expect(codesOf(response)).toEqual(['INVALID_TRANSITION']);
      expect(response.errors![0]!.extensions).toMatchObject({ id, from, to, reason: 'PROGRESS', progress, requestedProgress: given ?? null });
      expect(await stored(id)).toEqual(before);
    } else {
      expect(response.errors).toBeUndefined();
      expect(response.data!.updateTaskStatus).toMatchObject({ status: to, progress: after });
      expect((await stored(id)).progress).toBe(after);
    }
  });

  it('refuses a batch whose item 2 lowers progress, naming index 2 and the progress rule, and writes nothing', async () => {
    const user = await agent();
    const ids = [await taskIn(user, 'PENDING'), await taskIn(user, 'RUNNING', 0.4), await taskIn(user, 'RUNNING', 0.6)];
    const before = await Promise.all(ids.map(stored));

    const response = await api.execute(
      TasksUpdateTasksStatusDocument,
      { inputs: [change(ids[0]!, 'RUNNING', 0.1), change(ids[1]!, 'COMPLETED'), change(ids[2]!, 'FAILED', 0.5)] },
      { as: user },
    );

    expect(codesOf(response)).toEqual(['INVALID_TRANSITION']);
    expect(response.errors![0]!.extensions).toMatchObject({ index: 2, id: ids[2], from: 'RUNNING', to: 'FAILED', reason: 'PROGRESS', progress: 0.6 });
    expect(await Promise.all(ids.map(stored))).toEqual(before);
  });

  it('lets one batch raise progress and finish tasks, each by its own rule', async () => {
    const user = await agent();
    const ids = [await taskIn(user, 'RUNNING', 0.2), await taskIn(user, 'RUNNING', 0.9), await taskIn(user, 'PENDING')];

    const response = await api.execute(
      TasksUpdateTasksStatusDocument,
      { inputs: [change(ids[0]!, 'RUNNING', 0.6), change(ids[1]!, 'COMPLETED'), change(ids[2]!, 'FAILED')] },
      { as: user },
    );

    expect(response.errors).toBeUndefined();
    expect(response.data!.updateTasksStatus.map((task) => [task.status, task.progress])).toEqual([
      ['RUNNING', 0.6],
      ['COMPLETED', 1],
      ['FAILED', 0],
    ]);
  });
});

describe('cancelTask', () => {
  it.each(STATUSES.map((from) => [from, ALLOWED.has(`${from} -> CANCELLED`)] as const))(
    'from %s: allowed %s, keeping the progress',
    async (from, allowed) => {
      // Cancelling is a user's own decision: a user token, no agent scope.
      const user = await api.createUser();
      const id = await taskIn(user, from, from === 'COMPLETED' ? 1 : 0.3);
      const before = await stored(id);

      const response = await api.execute(TasksCancelTaskDocument, { id }, { as: user });

      if (allowed) {
        expect(response.errors).toBeUndefined();
        expect(response.data!.cancelTask).toMatchObject({ id, status: 'CANCELLED', progress: 0.3, error: null });
      } else {
        expect(codesOf(response)).toEqual(['INVALID_TRANSITION']);
        expect(response.errors![0]!.extensions).toMatchObject({ id, from, to: 'CANCELLED', reason: 'TRANSITION' });
        expect(await stored(id)).toEqual(before);
      }
    },
  );
});
