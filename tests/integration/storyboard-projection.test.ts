import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaStoryboardProjectionDocument, MediaTaskCursorDocument } from '../generated/graphql.js';
import { createTaskTree } from '../helpers/factories.js';
import { startTestApi, type TestApi } from '../helpers/test-api.js';

let api: TestApi;
beforeAll(async () => {
  // What a page reads is the uncached path's concern; the cache keys follow it (cache/keys-and-ttls.test.ts).
  api = await startTestApi({ CACHE_MODE: 'off' });
});
afterAll(() => api.close());

/** The storyboard page statements among `statements`, by what they select. */
const storyboardPages = (statements: string[]) => statements.filter((text) => /from "storyboards" as child/.test(text));

describe('a storyboard page reads what the query asks of it', () => {
  it('answers three differently shaped pages of one task in one request, each from the columns it needs', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1, storyboardsPerTask: 3, withMedia: true });
    await api.execute(MediaTaskCursorDocument, {}, { as: user });

    const { result, statements } = await api.recordSql(() =>
      api.execute(MediaStoryboardProjectionDocument, { taskId: taskId!, withPrompt: true }, { as: user }),
    );

    expect(result.errors).toBeUndefined();
    const stored = await api.db.selectFrom('storyboards').selectAll().where('taskId', '=', taskId!).orderBy('sequenceNumber').orderBy('id').execute();
    const resources = new Map((await api.db.selectFrom('resources').selectAll().where('taskId', '=', taskId!).execute()).map((row) => [row.id, row]));
    const asResource = (id: string | null) => {
      if (id === null) return null;
      const row = resources.get(id)!;
      return {
        id: row.id,
        kind: row.kind.toUpperCase(),
        url: row.url,
        mimeType: row.mimeType,
        sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
        width: row.width,
        height: row.height,
        durationSeconds: row.durationSeconds,
        createdAt: row.createdAt.toISOString(),
        task: { id: taskId },
      };
    };
    const task = result.data!.task!;
    expect(task.lean.nodes).toEqual(stored.map((row) => ({ sequenceNumber: row.sequenceNumber })));
    expect(task.conditional.nodes).toEqual(stored.map((row) => ({ id: row.id, prompt: row.prompt })));
    expect(task.full.edges.map((edge) => edge.node)).toEqual(
      stored.map((row) => ({
        id: row.id,
        sequenceNumber: row.sequenceNumber,
        description: row.description,
        prompt: row.prompt,
        durationSeconds: row.durationSeconds,
        createdAt: row.createdAt.toISOString(),
        version: expect.any(String),
        task: { id: taskId },
        firstFrameImage: asResource(row.firstFrameImageId),
        video: asResource(row.videoId),
      })),
    );
    expect(stored.every((row) => row.firstFrameImageId !== null && row.videoId !== null)).toBe(true);

    // One statement per shape; the lean one reads neither the prompt nor any resource.
    const pages = storyboardPages(statements);
    expect(pages).toHaveLength(3);
    const lean = pages.filter((text) => !/prompt/.test(text) && !/resources/.test(text));
    expect(lean).toHaveLength(1);
    const full = pages.filter((text) => (text.match(/left join resources/g) ?? []).length === 2);
    expect(full).toHaveLength(1);
    expect(full[0]).toMatch(/"imageResourceMimeType"/);
  });

  it('reads a field under @include whether or not it is included, and answers it only when it is', async () => {
    const user = await api.createUser();
    const [taskId] = await createTaskTree(api.db, user.id, { tasks: 1, storyboardsPerTask: 2 });
    const read = await api.execute(MediaStoryboardProjectionDocument, { taskId: taskId!, withPrompt: false }, { as: user });

    expect(read.errors).toBeUndefined();
    for (const node of read.data!.task!.conditional.nodes) expect(Object.keys(node)).toEqual(['id']);
  });
});
