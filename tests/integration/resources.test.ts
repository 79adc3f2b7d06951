import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MediaAddResourcesDocument,
  MediaResourceDocument,
  MediaResourcesByKindDocument,
  MediaTaskCursorDocument,
  MediaTaskResourcesDocument,
  MediaThreeResourcesDocument,
  type AddResourceInput,
} from '../generated/graphql.js';
import { createTaskTree } from '../helpers/factories.js';
import { startTestApi, type NewTestUser, type TestApi } from '../helpers/test-api.js';

let api: TestApi;
beforeAll(async () => {
  // Statement counts are a property of the uncached path: the cache's own suite covers the other.
  // One object store allowed besides https: (src/url-policy.ts).
  api = await startTestApi({ CACHE_MODE: 'off', RESOURCE_URL_SCHEMES: 's3,gs', RESOURCE_URL_HOSTS: 'bucket' });
});
afterAll(() => api.close());

/** A user with `tasks` tasks, already past their first request. */
async function userWithTasks(tasks: number): Promise<{ user: NewTestUser; taskIds: string[] }> {
  const user = await api.createUser();
  const taskIds = await createTaskTree(api.db, user.id, { tasks });
  // The first request of a user also checks that the user exists.
  await api.execute(MediaTaskCursorDocument, {}, { as: user });
  return { user, taskIds };
}

type Kind = 'image' | 'video' | 'audio';

/**
 * Resources of a task written straight to the table, each `ageSeconds` old, in
 * the order given (not their age order), so that "oldest first" is the API's doing.
 */
async function insertAgedResources(taskId: string, items: readonly { kind: Kind; ageSeconds: number }[]) {
  const now = Date.now();
  return api.db
    .insertInto('resources')
    .values(
      items.map(({ kind, ageSeconds }) => ({
        taskId,
        kind,
        url: `https://cdn.test/${kind}-${ageSeconds}`,
        mimeType: `${kind}/test`,
        createdAt: new Date(now - ageSeconds * 1_000),
      })),
    )
    .returning(['id', 'kind', 'url'])
    .execute();
}

const resourcesOf = (taskId: string) => api.db.selectFrom('resources').select(['id', 'url']).where('taskId', '=', taskId).orderBy('url').execute();

const image = (n: number, extra: Partial<AddResourceInput> = {}): AddResourceInput => ({
  kind: 'IMAGE',
  url: `https://cdn.test/image-${n}.png`,
  mimeType: 'image/png',
  ...extra,
});

describe('Task.resources', () => {
  it('lists every kind oldest first, or only the kind asked for', async () => {
    const { user, taskIds } = await userWithTasks(1);
    const taskId = taskIds[0]!;
    await insertAgedResources(taskId, [
      { kind: 'video', ageSeconds: 20 },
      { kind: 'image', ageSeconds: 10 },
      { kind: 'audio', ageSeconds: 30 },
      { kind: 'image', ageSeconds: 40 },
      { kind: 'video', ageSeconds: 5 },
    ]);

    const all = await api.execute(MediaTaskResourcesDocument, { id: taskId }, { as: user });
    const images = await api.execute(MediaTaskResourcesDocument, { id: taskId, kind: 'IMAGE' }, { as: user });
    const videos = await api.execute(MediaTaskResourcesDocument, { id: taskId, kind: 'VIDEO' }, { as: user });

    expect(all.errors ?? images.errors ?? videos.errors).toBeUndefined();
    const urlsOf = (response: typeof all) => response.data!.task!.resources.map((r) => [r.kind, r.url]);
    expect(urlsOf(all)).toEqual([
      ['IMAGE', 'https://cdn.test/image-40'],
      ['AUDIO', 'https://cdn.test/audio-30'],
      ['VIDEO', 'https://cdn.test/video-20'],
      ['IMAGE', 'https://cdn.test/image-10'],
      ['VIDEO', 'https://cdn.test/video-5'],
    ]);
    expect(urlsOf(images)).toEqual([
      ['IMAGE', 'https://cdn.test/image-40'],
      ['IMAGE', 'https://cdn.test/image-10'],
    ]);
    expect(urlsOf(videos)).toEqual([
      ['VIDEO', 'https://cdn.test/video-20'],
      ['VIDEO', 'https://cdn.test/video-5'],
    ]);
  });

  it.each([3, 12])('reads all resources and the images of %i tasks in the same three statements', async (taskCount) => {
    const { user, taskIds } = await userWithTasks(taskCount);
    for (const taskId of taskIds) {
      await insertAgedResources(taskId, [
        { kind: 'image', ageSeconds: 3 },
        { kind: 'video', ageSeconds: 2 },
        { kind: 'image', ageSeconds: 1 },
      ]);
    }

    const { result, statements } = await api.recordSql(() => api.execute(MediaResourcesByKindDocument, { first: taskCount }, { as: user }));

    expect(result.errors).toBeUndefined();
    for (const task of result.data!.tasks.nodes) {
      expect(task.resources.map((r) => r.kind)).toEqual(['IMAGE', 'VIDEO', 'IMAGE']);
      expect(task.images.map((r) => r.kind)).toEqual(['IMAGE', 'IMAGE']);
      expect(task.images.map((r) => r.id)).toEqual([task.resources[0]!.id, task.resources[2]!.id]);
    }
    // The tasks page, then one statement per distinct kind argument (none, IMAGE) for every task at once.
    expect(statements).toHaveLength(3);
  });

  it('answers an empty list for a task without resources', async () => {
    const { user, taskIds } = await userWithTasks(1);

    const { data, errors } = await api.execute(MediaTaskResourcesDocument, { id: taskIds[0]! }, { as: user });

    expect(errors).toBeUndefined();
    expect(data!.task).toEqual({ id: taskIds[0], resources: [] });
  });
});

describe('Query.resource', () => {
  it('answers a resource with its task and a size past 2^31 bytes as a number', async () => {
    const { user, taskIds } = await userWithTasks(1);
    const input: AddResourceInput = {
      kind: 'VIDEO',
      url: 's3://bucket/cut.mp4',
      mimeType: 'video/mp4',
      sizeBytes: 5_000_000_000,
      width: 1920,
      height: 1080,
      durationSeconds: 12.5,
    };
    const added = await api.execute(MediaAddResourcesDocument, { taskId: taskIds[0]!, inputs: [input] }, { as: user.agent });
    expect(added.errors).toBeUndefined();
    expect(added.data!.addResources).toEqual([{ id: expect.any(String), ...input }]);
    const id = added.data!.addResources[0]!.id;

    const { data, errors } = await api.execute(MediaResourceDocument, { id }, { as: user });

    expect(errors).toBeUndefined();
    expect(data!.resource).toEqual({ id, ...input, createdAt: expect.any(String), task: { id: taskIds[0] } });
    expect(typeof data!.resource!.sizeBytes).toBe('number');
  });

  it('answers null for the sizes, dimensions and duration a resource was added without', async () => {
    const { user, taskIds } = await userWithTasks(1);
    const added = await api.execute(MediaAddResourcesDocument, { taskId: taskIds[0]!, inputs: [image(1)] }, { as: user.agent });

    const { data, errors } = await api.execute(MediaResourceDocument, { id: added.data!.addResources[0]!.id }, { as: user });

    expect(errors).toBeUndefined();
    expect(data!.resource).toMatchObject({ kind: 'IMAGE', sizeBytes: null, width: null, height: null, durationSeconds: null });
  });

  it.each([
    ["another user's resource", 'foreign', []],
    ['a missing id', 'missing', []],
    ['an id that is not a UUID', 'malformed', ['BAD_USER_INPUT']],
  ] as const)('answers %s with null and the errors %j', async (_case, which, codes) => {
    const { user } = await userWithTasks(1);
    const other = await userWithTasks(1);
    const [foreign] = await insertAgedResources(other.taskIds[0]!, [{ kind: 'image', ageSeconds: 1 }]);
    const ids = { foreign: foreign!.id, missing: randomUUID(), malformed: 'resource-1' };

    const { data, errors } = await api.execute(MediaResourceDocument, { id: ids[which] }, { as: user });

    expect(data).toEqual({ resource: null });
    expect((errors ?? []).map((e) => [e.path, e.extensions?.code])).toEqual(codes.map((code) => [['resource'], code]));
  });

  it("answers each alias on its own: the viewer's resource intact beside a missing and a foreign one, in one statement", async () => {
    const { user, taskIds } = await userWithTasks(1);
    const other = await userWithTasks(1);
    const [own] = await insertAgedResources(taskIds[0]!, [{ kind: 'image', ageSeconds: 1 }]);
    const [foreign] = await insertAgedResources(other.taskIds[0]!, [{ kind: 'video', ageSeconds: 1 }]);

    const { result, statements } = await api.recordSql(() =>
      api.execute(MediaThreeResourcesDocument, { found: own!.id, missing: randomUUID(), foreign: foreign!.id }, { as: user }),
    );

    expect(result.data).toEqual({ found: { id: own!.id, url: own!.url }, missing: null, foreign: null });
    expect(result.errors).toBeUndefined();
    // The three ids are one batch of the by-id loader.
    expect(statements).toHaveLength(1);
  });
});

describe('Mutation.addResources', () => {
  it('adds a batch in one insert statement and answers it in input order', async () => {
    const { user, taskIds } = await userWithTasks(1);
    const inputs: AddResourceInput[] = [
      { kind: 'VIDEO', url: 'https://cdn.test/b.mp4', mimeType: 'video/mp4', durationSeconds: 3 },
      image(9, { width: 640, height: 360, sizeBytes: 1_024 }),
      { kind: 'AUDIO', url: 'gs://bucket/voice.ogg', mimeType: 'audio/ogg' },
      image(1),
    ];

    const { result, statements } = await api.recordSql(() => api.execute(MediaAddResourcesDocument, { taskId: taskIds[0]!, inputs }, { as: user.agent }));

    expect(result.errors).toBeUndefined();
    const nullable = { sizeBytes: null, width: null, height: null, durationSeconds: null };
    expect(result.data!.addResources.map(({ id: _id, ...rest }) => rest)).toEqual(inputs.map((input) => ({ ...nullable, ...input })));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^\s*insert into resources/i);
    expect((await resourcesOf(taskIds[0]!)).map((r) => r.id).sort()).toEqual(result.data!.addResources.map((r) => r.id).sort());
  });

  it('names the index of an item with a bad url and writes nothing of the batch', async () => {
    const { user, taskIds } = await userWithTasks(1);
    const inputs = [image(0), image(1, { url: 'not a url' }), image(2)];

    const { data, errors } = await api.execute(MediaAddResourcesDocument, { taskId: taskIds[0]!, inputs }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', index: 1, argument: 'inputs' });
    expect(await resourcesOf(taskIds[0]!)).toEqual([]);
  });

  it.each([
    ['the cloud metadata service', 'http://169.254.169.254/latest/meta-data/'],
    ['the metadata service over https', 'https://169.254.169.254/latest/meta-data/'],
    ['a loopback Redis', 'https://localhost:6379/'],
    ['loopback spelled as a number', 'https://2130706433/frame.png'],
    ['a private address', 'https://10.1.2.3/frame.png'],
    ['IPv6 loopback', 'https://[::1]/frame.png'],
    ['a bucket the server does not allow', 's3://internal/secrets.json'],
    ['a scheme the server does not allow', 'ftp://cdn.test/frame.png'],
    ['a URL past 2,048 characters', `https://cdn.test/${'a'.repeat(2_040)}`],
    ['credentials in the URL', 'https://agent:secret@cdn.test/frame.png'],
  ])('refuses a url to %s with BAD_USER_INPUT naming the item and the field, and writes nothing', async (_case, url) => {
    const { user, taskIds } = await userWithTasks(1);
    const inputs = [image(0), image(1), image(2, { url })];

    const { data, errors } = await api.execute(MediaAddResourcesDocument, { taskId: taskIds[0]!, inputs }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'inputs', field: 'url', index: 2, reason: expect.any(String) }]);
    expect(await resourcesOf(taskIds[0]!)).toEqual([]);
  });

  it('stores a url of exactly 2,048 characters', async () => {
    const { user, taskIds } = await userWithTasks(1);
    const url = `https://cdn.test/${'a'.repeat(2_048 - 'https://cdn.test/'.length)}`;

    const { errors } = await api.execute(MediaAddResourcesDocument, { taskId: taskIds[0]!, inputs: [image(0, { url })] }, { as: user.agent });

    expect(errors).toBeUndefined();
    expect((await resourcesOf(taskIds[0]!)).map((r) => r.url)).toEqual([url]);
  });

  it('answers BAD_USER_INPUT for an empty batch', async () => {
    const { user, taskIds } = await userWithTasks(1);

    const { data, errors } = await api.execute(MediaAddResourcesDocument, { taskId: taskIds[0]!, inputs: [] }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('answers BATCH_TOO_LARGE for 501 resources and writes nothing', async () => {
    const { user, taskIds } = await userWithTasks(1);
    const inputs = Array.from({ length: 501 }, (_, i) => image(i));

    const { data, errors } = await api.execute(MediaAddResourcesDocument, { taskId: taskIds[0]!, inputs }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors![0]!.extensions).toMatchObject({ code: 'BATCH_TOO_LARGE', max: 500 });
    expect(await resourcesOf(taskIds[0]!)).toEqual([]);
  });

  it("answers NOT_FOUND for another user's task and writes nothing", async () => {
    const { user } = await userWithTasks(1);
    const other = await userWithTasks(1);
    await insertAgedResources(other.taskIds[0]!, [{ kind: 'audio', ageSeconds: 1 }]);
    const before = await resourcesOf(other.taskIds[0]!);

    const { data, errors } = await api.execute(MediaAddResourcesDocument, { taskId: other.taskIds[0]!, inputs: [image(1)] }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(await resourcesOf(other.taskIds[0]!)).toEqual(before);
  });

  it('answers BAD_USER_INPUT for a task id that is not a UUID', async () => {
    const { user } = await userWithTasks(1);

    const { data, errors } = await api.execute(MediaAddResourcesDocument, { taskId: 'task-1', inputs: [image(1)] }, { as: user.agent });

    expect(data).toBeNull();
    expect(errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
