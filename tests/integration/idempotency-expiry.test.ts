import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepExpiredIdempotencyKeys } from '../../src/tasks/idempotency.repository.js';
import { TasksCreateTasksDocument, type CreateTaskInput } from '../generated/graphql.js';
import { errorCodesOf as codesOf, startTestApi, type GraphQLResponse, type TestApi, type TestUser } from '../helpers/test-api.js';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const inputs = (count: number, topic = 'Imported'): CreateTaskInput[] => Array.from({ length: count }, (_, i) => ({ topic: `${topic} ${i}` }));
const idsOf = (response: GraphQLResponse<{ createTasks: { id: string }[] }>) => response.data!.createTasks.map((task) => task.id);

async function countTasks(userId: string): Promise<number> {
  const row = await api.db.selectFrom('tasks').select((eb) => eb.fn.countAll<string>().as('n')).where('userId', '=', userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Moves the user's key back in time, as if the first call had been made `age` ago. */
const backdate = (user: TestUser, key: string, age: string) =>
  sql`update idempotency_keys set created_at = now() - ${age}::interval where user_id = ${user.id} and key = ${key}`.execute(api.db);

const expiredKeyCount = async () =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from idempotency_keys where created_at <= now() - interval '24 hours'`.execute(api.db)).rows[0]!.n,
  );

describe('idempotency keys of createTasks', () => {
  it('answer a retry near the end of the 24-hour window with the first call’s tasks', async () => {
    const user = await api.createUser();
    const first = await api.execute(TasksCreateTasksDocument, { inputs: inputs(3), idempotencyKey: 'nightly-1' }, { as: user });
    await backdate(user, 'nightly-1', '23 hours 59 minutes');

    const retry = await api.execute(TasksCreateTasksDocument, { inputs: inputs(3), idempotencyKey: 'nightly-1' }, { as: user });
    const reused = await api.execute(TasksCreateTasksDocument, { inputs: inputs(3, 'Other'), idempotencyKey: 'nightly-1' }, { as: user });

    expect(idsOf(retry)).toEqual(idsOf(first));
    expect(codesOf(reused)).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(await countTasks(user.id)).toBe(3);
  });

  it('create anew once the window has passed, and the key then answers the new call', async () => {
    const user = await api.createUser();
    const first = await api.execute(TasksCreateTasksDocument, { inputs: inputs(3), idempotencyKey: 'nightly-2' }, { as: user });
    await backdate(user, 'nightly-2', '24 hours 1 second');

    const after = await api.execute(TasksCreateTasksDocument, { inputs: inputs(3), idempotencyKey: 'nightly-2' }, { as: user });
    const retryOfAfter = await api.execute(TasksCreateTasksDocument, { inputs: inputs(3), idempotencyKey: 'nightly-2' }, { as: user });

    expect(after.errors).toBeUndefined();
    expect(idsOf(after).filter((id) => idsOf(first).includes(id))).toEqual([]);
    expect(idsOf(retryOfAfter)).toEqual(idsOf(after));
    expect(await countTasks(user.id)).toBe(6);
  });

  it('take another payload once expired, rather than answering IDEMPOTENCY_KEY_REUSED', async () => {
    const user = await api.createUser();
    await api.execute(TasksCreateTasksDocument, { inputs: inputs(2), idempotencyKey: 'nightly-3' }, { as: user });
    await backdate(user, 'nightly-3', '2 days');

    const other = await api.execute(TasksCreateTasksDocument, { inputs: inputs(4, 'Other'), idempotencyKey: 'nightly-3' }, { as: user });

    expect(other.errors).toBeUndefined();
    expect(await countTasks(user.id)).toBe(6);
  });

  it('follow IDEMPOTENCY_KEY_TTL_S: a key of 2 minutes is expired to an instance configured with 60 s, live to one with the default', async () => {
    const shortWindow = await api.startSibling({ IDEMPOTENCY_KEY_TTL_S: '60' });
    try {
      const [live, expired] = [await api.createUser(), await api.createUser()];
      const firstLive = await api.execute(TasksCreateTasksDocument, { inputs: inputs(2), idempotencyKey: 'k' }, { as: live });
      await api.execute(TasksCreateTasksDocument, { inputs: inputs(2), idempotencyKey: 'k' }, { as: expired });
      await backdate(live, 'k', '30 seconds');
      await backdate(expired, 'k', '2 minutes');

      const retryLive = await shortWindow.execute(TasksCreateTasksDocument, { inputs: inputs(2), idempotencyKey: 'k' }, { as: live });
      const retryExpired = await shortWindow.execute(TasksCreateTasksDocument, { inputs: inputs(2), idempotencyKey: 'k' }, { as: expired });

      expect(idsOf(retryLive)).toEqual(idsOf(firstLive));
      expect(await countTasks(live.id)).toBe(2);
      expect(retryExpired.errors).toBeUndefined();
      expect(await countTasks(expired.id)).toBe(4);
    } finally {
      await shortWindow.close();
    }
  });
});

describe('the sweep of expired keys', () => {
  it('deletes at most 100 expired keys, the oldest, with each new key, and never a live one', async () => {
    const user = await api.createUser();
    // 150 keys expired a month ago (older than any other test's), one a second apart, and 5 live ones.
    await sql`insert into idempotency_keys (user_id, key, request_hash, task_ids, created_at)
              select ${user.id}, 'old-' || n, 'h', '{}', now() - interval '40 days' + make_interval(secs => n)
              from generate_series(1, 150) as n`.execute(api.db);
    await sql`insert into idempotency_keys (user_id, key, request_hash, task_ids)
              select ${user.id}, 'live-' || n, 'h', '{}' from generate_series(1, 5) as n`.execute(api.db);
    const expiredBefore = await expiredKeyCount();
    const userKeys = async () =>
      (await api.db.selectFrom('idempotency_keys').select('key').where('userId', '=', user.id).execute()).map((row) => row.key);

    await api.execute(TasksCreateTasksDocument, { inputs: inputs(1), idempotencyKey: 'new-1' }, { as: user });
    const afterFirst = await userKeys();
    await api.execute(TasksCreateTasksDocument, { inputs: inputs(1), idempotencyKey: 'new-2' }, { as: user });
    const afterSecond = await userKeys();

    expect(expiredBefore).toBeGreaterThanOrEqual(150);
    // The first sweep took old-1 .. old-100; the second the last 50 (and any other test's expired keys).
    expect(afterFirst.filter((key) => key.startsWith('old-')).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `old-${101 + i}`).sort(),
    );
    expect(afterSecond.filter((key) => key.startsWith('old-'))).toEqual([]);
    expect(afterSecond.filter((key) => !key.startsWith('old-')).sort()).toEqual(['live-1', 'live-2', 'live-3', 'live-4', 'live-5', 'new-1', 'new-2']);
  });

  it('deletes only keys older than the window it is given, and answers how many', async () => {
    const user = await api.createUser();
    await sql`insert into idempotency_keys (user_id, key, request_hash, task_ids, created_at)
              select ${user.id}, 'ancient-' || n, 'h', '{}', now() - interval '50 days' from generate_series(1, 3) as n`.execute(api.db);
    const fortyFiveDays = 45 * 86_400;

    expect(await sweepExpiredIdempotencyKeys(api.db, fortyFiveDays)).toBe(3);
    expect(await sweepExpiredIdempotencyKeys(api.db, fortyFiveDays)).toBe(0);
    expect(await api.db.selectFrom('idempotency_keys').select('key').where('userId', '=', user.id).execute()).toEqual([]);
  });

  it('can find expired keys through idx_idempotency_keys_created, without reading the table in full', async () => {
    const plan = await api.db.transaction().execute(async (trx) => {
      // The test table is small enough for a sequential scan to win: ask whether the index serves the sweep at all.
      await sql`set local enable_seqscan = off`.execute(trx);
      return sql<{ 'QUERY PLAN': string }>`explain select user_id, key from idempotency_keys
        where created_at <= now() - interval '1 day' order by created_at limit 100`.execute(trx);
    });

    expect(plan.rows.map((row) => Object.values(row)[0]).join('\n')).toContain('idx_idempotency_keys_created');
  });
});
