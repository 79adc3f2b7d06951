import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheTaskDocument } from '../generated/graphql.js';
import { backendKind } from '../helpers/backend.js';
import { createTaskTree } from '../helpers/factories.js';
import { startTestApi, type NewTestUser, type TestApi } from '../helpers/test-api.js';

/**
 * A task by one id is the busiest statement (W1, W8). Its text is prepared
 * (src/db/any-of.ts), so after five runs PostgreSQL may plan it once for any
 * value: that generic plan must still be the primary key's, which is why a
 * batch of several ids (`= any($1)`) stays unprepared.
 */
describe.runIf(backendKind() === 'postgres')('a task read by one id', () => {
  let api: TestApi;
  let user: NewTestUser;
  let taskId: string;
  beforeAll(async () => {
    api = await startTestApi({ CACHE_MODE: 'off' });
    user = await api.createUser();
    [taskId] = (await createTaskTree(api.db, user.id, { tasks: 3, scriptsPerTask: 0, storyboardsPerTask: 0 })) as [string];
  });
  afterAll(() => api?.close());

  it('is one statement whose generic plan reads the primary key', async () => {
    // The viewer's first request also looks the user up once: only the task's statement is this test's.
    await api.execute(CacheTaskDocument, { id: taskId }, { as: user });
    const { result, statements } = await api.recordSql(() => api.execute(CacheTaskDocument, { id: taskId }, { as: user }));
    expect(result.errors).toBeUndefined();
    expect(statements).toEqual([expect.stringMatching(/^select .* from "tasks" where "id" = \$1::uuid and "user_id" = \$2$/)]);

    const plan = await api.db.connection().execute(async (connection) => {
      await sql`set plan_cache_mode = force_generic_plan`.execute(connection);
      try {
        await sql.raw(`prepare task_by_one_id as ${statements[0]}`).execute(connection);
        const explained = await sql.raw<{ 'QUERY PLAN': string }>(`explain execute task_by_one_id('${taskId}', '${user.id}')`).execute(connection);
        await sql`deallocate task_by_one_id`.execute(connection);
        return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await sql`reset plan_cache_mode`.execute(connection);
      }
    });
    expect(plan).toMatch(/Index Scan using tasks_pkey on tasks/);
  });
});
