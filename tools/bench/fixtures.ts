import { sql } from 'kysely';
import { resolveJwtSecret } from '../../src/auth/dev-secret.js';
import { Scope } from '../../src/auth/scopes.js';
import { createTokenIssuer, type TokenIssuer } from '../../src/auth/tokens.js';
import type { Config } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import type { Db } from '../../src/db/database.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { BATCH_CLIENT } from '../../src/seed/scale.js';

/** user0001@arya.dev ... user0100@arya.dev: the signed-in users every workload rotates over. */
export const VIEWER_COUNT = 100;
/** W1's hot set: this many task ids per viewer (1,000 at bench scale). */
const HOT_TASKS_PER_VIEWER = 10;
/** W8 raises the progress of this many RUNNING tasks per viewer. */
const RUNNING_TASKS_PER_VIEWER = 2;
/** W7's depth at bench scale; smaller data gets the deepest offset that still fills a page. */
export const DEEP_OFFSET = 9_000;
export const PAGE_SIZE = 20;
/** Long enough for a `--cache both` run of every workload. */
const TOKEN_LIFETIME = '6h';

export interface Viewer {
  readonly id: string;
  readonly email: string;
  /** `Bearer` user token (what a frontend holds), signed with the server's own secret. */
  readonly token: string;
  /** The same user's agent token: what the agent's workers write status and progress with (W8). */
  readonly agentToken: string;
}

export interface TaskRef {
  readonly id: string;
  readonly topic: string;
  readonly viewer: Viewer;
}

export interface RunningTask {
  readonly id: string;
  readonly viewer: Viewer;
  /** As stored before the run: W8 only ever raises it. */
  readonly progress: number;
}

/** What the first viewer's answers must contain (W2, W3, W4 checks). */
export interface FirstViewerData {
  /** Ids of the 20 newest COMPLETED tasks, newest first. */
  readonly completedPage: readonly string[];
  readonly storyboards: ReadonlyMap<string, { total: number; images: number; videos: number }>;
  readonly scripts: ReadonlyMap<string, number>;
  readonly conversations: number;
  readonly messages: ReadonlyMap<string, number>;
}

/** W7's user: the batch client at bench scale, else the non-viewer with the most tasks. */
export interface DeepPageUser {
  readonly viewer: Viewer;
  readonly isBatchClient: boolean;
  readonly taskCount: number;
  readonly offset: number;
  /** The ids at rows offset .. offset + 19, newest first. */
  readonly expectedIds: readonly string[];
}

export interface Fixtures {
  readonly viewers: readonly Viewer[];
  readonly hotTasks: readonly TaskRef[];
  readonly runningTasks: readonly RunningTask[];
  readonly firstViewer: FirstViewerData;
  readonly deepPage: DeepPageUser;
  /** Prefix of every topic W5, W6 and W9 create, so that they can be deleted afterwards. */
  readonly runTag: string;
}

/**
 * Reads everything the workloads need from the database, then closes it: the
 * embedded database admits one process at a time, and the server is the next.
 */
export async function prepareFixtures(config: Config, runTag: string): Promise<Fixtures> {
  const tokens = createTokenIssuer(await resolveJwtSecret(config));
  const database = await openForBench(config);
  try {
    const viewers = await findViewers(database.db, tokens);
    const first = viewers[0]!;
    return {
      viewers,
      hotTasks: await findTasksPerViewer(database.db, viewers, HOT_TASKS_PER_VIEWER, undefined),
      runningTasks: await findRunningTasks(database.db, viewers),
      firstViewer: await findFirstViewerData(database.db, first.id),
      deepPage: await findDeepPageUser(database.db, viewers, tokens),
      runTag,
    };
  } finally {
    await database.close();
  }
}

/** Deletes the tasks W5 and W6 created in this run; answers how many. */
export async function deleteCreatedTasks(config: Config, fixtures: Fixtures): Promise<number> {
  const database = await openForBench(config);
  try {
    return await database.db.transaction().execute(async (trx) => {
      // W6 makes hundreds of thousands of tasks in a run: longer than a request's statement timeout to delete.
      await sql`set local statement_timeout = 0`.execute(trx);
      const result = await trx
        .deleteFrom('tasks')
        .where('userId', 'in', fixtures.viewers.map((v) => v.id))
        .where('topic', 'like', `${fixtures.runTag}%`)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  } finally {
    await database.close();
  }
}

async function openForBench(config: Config) {
  try {
    // One connection is all the preparation needs; don't take a pool's worth from the server's budget.
    return await connectDatabase({ ...config.database, poolSize: 1 }, { tracker: new SqlTracker() });
  } catch (error) {
    const hint = config.database.url === undefined ? ' (with --url, the embedded database is the server\'s: set DATABASE_URL)' : '';
    throw new Error(`cannot open the database${hint}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function viewerEmail(n: number): string {
  return `user${String(n).padStart(4, '0')}@arya.dev`;
}

async function findViewers(db: Db, tokens: TokenIssuer): Promise<Viewer[]> {
  const emails = Array.from({ length: VIEWER_COUNT }, (_, i) => viewerEmail(i + 1));
  const rows = await db.selectFrom('users').select(['id', 'email']).where('email', 'in', emails).orderBy('email').execute();
  if (rows.length === 0) {
    throw new Error(`no bench users (${emails[0]} ...) in the database: seed it first (npm run seed -- --scale bench)`);
  }
  return Promise.all(rows.map((row) => signIn(tokens, row)));
}

async function signIn(tokens: TokenIssuer, user: { id: string; email: string }): Promise<Viewer> {
  const [token, agentToken] = await Promise.all([tokens.sign(user.id, TOKEN_LIFETIME), tokens.sign(user.id, TOKEN_LIFETIME, [Scope.AGENT])]);
  return { ...user, token, agentToken };
}

/** Up to `perViewer` tasks of each viewer, in id order (which is random for UUIDs). */
async function findTasksPerViewer(db: Db, viewers: readonly Viewer[], perViewer: number, status: 'running' | undefined) {
  const byId = new Map(viewers.map((v) => [v.id, v]));
  const { rows } = await sql<{ id: string; topic: string; userId: string; progress: number }>`
    select id, topic, user_id, progress from (
      select id, topic, user_id, progress, row_number() over (partition by user_id order by id) as n
      from tasks
      where user_id = any(${[...byId.keys()]}::uuid[]) and (${status ?? null}::task_status is null or status = ${status ?? null}::task_status)
    ) as ranked
    where n <= ${perViewer}
    order by user_id, n`.execute(db);
  return rows.map((row) => ({ id: row.id, topic: row.topic, progress: Number(row.progress), viewer: byId.get(row.userId)! }));
}

async function findRunningTasks(db: Db, viewers: readonly Viewer[]): Promise<RunningTask[]> {
  const rows = await findTasksPerViewer(db, viewers, RUNNING_TASKS_PER_VIEWER, 'running');
  return rows.map(({ id, viewer, progress }) => ({ id, viewer, progress }));
}

async function findFirstViewerData(db: Db, userId: string): Promise<FirstViewerData> {
  const page = await db
    .selectFrom('tasks')
    .select('id')
    .where('userId', '=', userId)
    .where('status', '=', 'completed')
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(PAGE_SIZE)
    .execute();
  const taskIds = page.map((row) => row.id);
  const storyboards = taskIds.length === 0 ? [] : await db
    .selectFrom('storyboards')
    .select((eb) => ['taskId', eb.fn.countAll<string>().as('total'), eb.fn.count<string>('firstFrameImageId').as('images'), eb.fn.count<string>('videoId').as('videos')])
    .where('taskId', 'in', taskIds)
    .groupBy('taskId')
    .execute();
  const scripts = taskIds.length === 0 ? [] : await db
    .selectFrom('scripts')
    .select((eb) => ['taskId', eb.fn.countAll<string>().as('total')])
    .where('taskId', 'in', taskIds)
    .groupBy('taskId')
    .execute();
  const messages = await db
    .selectFrom('conversations as c')
    .leftJoin('messages as m', 'm.conversationId', 'c.id')
    .select((eb) => ['c.id', eb.fn.count<string>('m.id').as('total')])
    .where('c.userId', '=', userId)
    .groupBy('c.id')
    .execute();
  return {
    completedPage: taskIds,
    storyboards: new Map(storyboards.map((r) => [r.taskId, { total: Number(r.total), images: Number(r.images), videos: Number(r.videos) }])),
    scripts: new Map(scripts.map((r) => [r.taskId, Number(r.total)])),
    conversations: messages.length,
    messages: new Map(messages.map((r) => [r.id, Number(r.total)])),
  };
}

/**
 * The batch client when the data has one. Otherwise (the small scale) the
 * user with the most tasks who is not a viewer: W5 and W6 add tasks to the
 * viewers, which would shift the rows W7 expects at its offset.
 */
async function findDeepPageUser(db: Db, viewers: readonly Viewer[], tokens: TokenIssuer): Promise<DeepPageUser> {
  const batch = await db.selectFrom('users').select(['id', 'email']).where('email', '=', BATCH_CLIENT.email).executeTakeFirst();
  const user = batch ?? (await findBusiestUser(db, viewers));
  const { count } = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('userId', '=', user.id)
    .executeTakeFirstOrThrow();
  const taskCount = Number(count);
  const offset = Math.min(DEEP_OFFSET, Math.max(0, taskCount - PAGE_SIZE));
  // The cursor is the one of row offset - 1: a user with a page or less has no deep page.
  if (offset < 1) throw new Error(`W7 needs a user with more than ${PAGE_SIZE} tasks; ${user.email} has ${taskCount}`);
  const expected = await db
    .selectFrom('tasks')
    .select('id')
    .where('userId', '=', user.id)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .offset(offset)
    .limit(PAGE_SIZE)
    .execute();
  return {
    viewer: await signIn(tokens, user),
    isBatchClient: batch !== undefined,
    taskCount,
    offset,
    expectedIds: expected.map((row) => row.id),
  };
}

async function findBusiestUser(db: Db, viewers: readonly Viewer[]): Promise<{ id: string; email: string }> {
  const viewerIds = viewers.map((v) => v.id);
  const busiest = (excludeViewers: boolean) =>
    db
      .selectFrom('tasks as t')
      .innerJoin('users as u', 'u.id', 't.userId')
      .select(['u.id', 'u.email'])
      .$if(excludeViewers, (qb) => qb.where('u.id', 'not in', viewerIds))
      .groupBy(['u.id', 'u.email'])
      .orderBy((eb) => eb.fn.countAll(), 'desc')
      .orderBy('u.email')
      .limit(1)
      .executeTakeFirst();
  const user = (await busiest(true)) ?? (await busiest(false));
  if (!user) throw new Error('W7 needs a user with tasks; the database has none');
  return user;
}
