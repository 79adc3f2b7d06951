import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MediaAddScriptDocument,
  MediaScriptContentsDocument,
  MediaScriptDocument,
  MediaScriptSummariesDocument,
  MediaTaskScriptsDocument,
} from '../generated/graphql.js';
import { createTaskTree } from '../helpers/factories.js';
import { startTestApi, type NewTestUser, type TestApi } from '../helpers/test-api.js';

let api: TestApi;
beforeAll(async () => {
  // Statement counts are a property of the uncached path: the cache's own suite covers the other.
  api = await startTestApi({ CACHE_MODE: 'off' });
});
afterAll(() => api.close());

/** The factory's script text (createTaskTree). */
const FACTORY_CONTENT = 'Scene text. '.repeat(50);

/** A user with tasks of `scripts` scripts each, already past their first request. */
async function userWithScripts(tasks: number, scripts: number): Promise<{ user: NewTestUser; taskIds: string[] }> {
  const user = await api.createUser();
  const taskIds = await createTaskTree(api.db, user.id, { tasks, scriptsPerTask: scripts });
  // The first request of a user also checks that the user exists.
  await api.execute(MediaTaskScriptsDocument, { id: taskIds[0]! }, { as: user });
  return { user, taskIds };
}

function scriptsOf(taskId: string) {
  return api.db.selectFrom('scripts').select(['id', 'version', 'title', 'content']).where('taskId', '=', taskId).orderBy('version').execute();
}

describe('Task.scripts and Task.latestScript', () => {
  it('lists every version of a task newest first and names the newest as the latest', async () => {
    const { user, taskIds } = await userWithScripts(1, 3);
    const stored = await scriptsOf(taskIds[0]!);

    const { data, errors } = await api.execute(MediaTaskScriptsDocument, { id: taskIds[0]! }, { as: user });

    expect(errors).toBeUndefined();
    expect(data!.task!.scripts.map((s) => [s.id, s.version, s.title])).toEqual([
      [stored[2]!.id, 3, 'Script v3'],
      [stored[1]!.id, 2, 'Script v2'],
      [stored[0]!.id, 1, 'Script v1'],
    ]);
    const times = data!.task!.scripts.map((s) => Date.parse(s.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(data!.task!.latestScript).toEqual({ id: stored[2]!.id, version: 3, title: 'Script v3' });
  });

  it('answers an empty list and no latest script for a task without scripts', async () => {
    const { user, taskIds } = await userWithScripts(1, 0);

    const { data, errors } = await api.execute(MediaTaskScriptsDocument, { id: taskIds[0]! }, { as: user });

    expect(errors).toBeUndefined();
    expect(data!.task).toEqual({ id: taskIds[0], scripts: [], latestScript: null });
  });
});

describe('Script.content', () => {
  it.each([
    [1, 1],
    [4, 3],
    [10, 5],
  ])('is not read by a list without it, and costs one more statement for %i tasks of %i scripts', async (tasks, scripts) => {
    const { user } = await userWithScripts(tasks, scripts);

    const summaries = await api.recordSql(() => api.execute(MediaScriptSummariesDocument, { first: tasks }, { as: user }));
    const contents = await api.recordSql(() => api.execute(MediaScriptContentsDocument, { first: tasks }, { as: user }));

    expect(summaries.result.errors).toBeUndefined();
    expect(summaries.result.data!.tasks.nodes).toHaveLength(tasks);
    for (const task of summaries.result.data!.tasks.nodes) expect(task.scripts).toHaveLength(scripts);
    expect(summaries.statements.filter((statement) => /content/i.test(statement))).toEqual([]);
    // tasks page, scripts of the tasks, latest script of each task.
    expect(summaries.statements).toHaveLength(3);

    expect(contents.result.errors).toBeUndefined();
    for (const task of contents.result.data!.tasks.nodes) {
      expect(task.scripts.map((s) => s.content)).toEqual(Array.from({ length: scripts }, () => FACTORY_CONTENT));
    }
    // The same three, plus one statement for the content of every script listed.
    expect(contents.statements).toHaveLength(summaries.statements.length + 1);
    expect(contents.statements.filter((statement) => /content/i.test(statement))).toHaveLength(1);
  });
});

describe('Query.script', () => {
  it('answers a script of the viewer with its content and its task', async () => {
    const { user, taskIds } = await userWithScripts(1, 2);
    const [first] = await scriptsOf(taskIds[0]!);

    const { data, errors } = await api.execute(MediaScriptDocument, { id: first!.id }, { as: user });

    expect(errors).toBeUndefined();
    expect(data!.script).toEqual({
      id: first!.id,
      version: 1,
      title: 'Script v1',
      content: FACTORY_CONTENT,
      createdAt: expect.any(String),
      task: { id: taskIds[0], topic: 'Topic 1' },
    });
  });

  it("answers null, and no error, for another user's script", async () => {
    const { user } = await userWithScripts(1, 1);
    const other = await userWithScripts(1, 1);
    const [foreign] = await scriptsOf(other.taskIds[0]!);

    const { data, errors } = await api.execute(MediaScriptDocument, { id: foreign!.id }, { as: user });

    expect(data).toEqual({ script: null });
    expect(errors).toBeUndefined();
  });

  it('answers null, and no error, for an id no script has', async () => {
    const { user } = await userWithScripts(1, 1);

    const { data, errors } = await api.execute(MediaScriptDocument, { id: randomUUID() }, { as: user });

    expect(data).toEqual({ script: null });
    expect(errors).toBeUndefined();
  });

  it('answers BAD_USER_INPUT for an id that is not a UUID', async () => {
    const { user } = await userWithScripts(1, 1);

    const { data, errors } = await api.execute(MediaScriptDocument, { id: 'script-1' }, { as: user });

    expect(data).toEqual({ script: null });
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(errors![0]!.path).toEqual(['script']);
  });
});

describe('Mutation.addScript', () => {
  it('adds the version after the highest one, which becomes the latest script', async () => {
    const { user, taskIds } = await userWithScripts(1, 3);
    const taskId = taskIds[0]!;

    const added = await api.execute(MediaAddScriptDocument, { input: { taskId, title: 'Fourth', content: 'New text' } }, { as: user.agent });

    expect(added.errors).toBeUndefined();
    expect(added.data!.addScript).toEqual({ id: expect.any(String), version: 4, title: 'Fourth', content: 'New text' });
    const { data } = await api.execute(MediaTaskScriptsDocument, { id: taskId }, { as: user });
    expect(data!.task!.scripts.map((s) => s.version)).toEqual([4, 3, 2, 1]);
    expect(data!.task!.latestScript).toEqual({ id: added.data!.addScript.id, version: 4, title: 'Fourth' });
    expect((await scriptsOf(taskId)).at(-1)).toEqual({ id: added.data!.addScript.id, version: 4, title: 'Fourth', content: 'New text' });
  });

  it('starts a task without scripts at version 1', async () => {
    const { user, taskIds } = await userWithScripts(1, 0);

    const { data, errors } = await api.execute(MediaAddScriptDocument, { input: { taskId: taskIds[0]!, title: 'First', content: 'Text' } }, { as: user.agent });

    expect(errors).toBeUndefined();
    expect(data!.addScript.version).toBe(1);
  });

  it("answers NOT_FOUND for another user's task and writes nothing", async () => {
    const { user } = await userWithScripts(1, 1);
    const other = await userWithScripts(1, 2);
    const before = await scriptsOf(other.taskIds[0]!);

    const { data, errors } = await api.execute(
      MediaAddScriptDocument,
      { input: { taskId: other.taskIds[0]!, title: 'Intruder', content: 'Text' } },
      { as: user.agent },
    );

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(await scriptsOf(other.taskIds[0]!)).toEqual(before);
  });

  it.each([
    ['an empty title', { title: '', content: 'Text' }],
    ['an empty content', { title: 'Title', content: '' }],
  ])('answers BAD_USER_INPUT for %s and writes nothing', async (_case, values) => {
    const { user, taskIds } = await userWithScripts(1, 1);
    const before = await scriptsOf(taskIds[0]!);

    const { data, errors } = await api.execute(MediaAddScriptDocument, { input: { taskId: taskIds[0]!, ...values } }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(await scriptsOf(taskIds[0]!)).toEqual(before);
  });

  it('never gives two concurrent adds the same version', async () => {
    const { user, taskIds } = await userWithScripts(1, 1);
    const taskId = taskIds[0]!;

    const results = await Promise.all(
      [1, 2, 3].map((n) => api.execute(MediaAddScriptDocument, { input: { taskId, title: `Racer ${n}`, content: 'Text' } }, { as: user.agent })),
    );

    // PGlite runs them one after another (versions 2, 3, 4); on PostgreSQL, adds that read
    // the same highest version collide on the (task_id, version) constraint: CONFLICT.
    const added = results.flatMap((r) => (r.data ? [r.data.addScript.version] : []));
    const refused = results.flatMap((r) => r.errors?.map((e) => e.extensions?.code) ?? []);
    expect(added.length + refused.length).toBe(3);
    expect(added.length).toBeGreaterThan(0);
    expect(refused.every((code) => code === 'CONFLICT')).toBe(true);
    const versions = (await scriptsOf(taskId)).map((s) => s.version);
    expect(versions).toEqual(Array.from({ length: 1 + added.length }, (_, i) => i + 1));
    expect([...added].sort()).toEqual(versions.slice(1));
  });

  it('answers BAD_USER_INPUT for a task id that is not a UUID', async () => {
    const { user } = await userWithScripts(1, 1);

    const { data, errors } = await api.execute(MediaAddScriptDocument, { input: { taskId: 'task-1', title: 'Title', content: 'Text' } }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
