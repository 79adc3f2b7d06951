// @requires initdb
// @requires pg_ctl
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultApi, type FaultApi } from '../../helpers/fault-api.js';
import { createTaskTree } from '../../helpers/factories.js';
import { printFigures, runLoad, summarize, type FaultFigures } from '../../helpers/load-loop.js';
import { PostgresServer, postgresBinDir } from '../../helpers/postgres-server.js';
import { eventually } from '../../helpers/redis-server.js';
import type { TestUser } from '../../helpers/test-api.js';

/**
 * Slow statements are made by a lock: a session of the test's own holds
 * `tasks` exclusively, so every statement reading it waits, exactly as long
 * as the test says. The cache is off so that every request reaches PostgreSQL.
 */
const QUEUE_TIMEOUT_MS = 500;
/** A shed request waits the queue timeout, then answers: 1 s of slack over it for a loaded machine. */
const SHED_WITHIN_MS = QUEUE_TIMEOUT_MS + 1_000;
const TASK = 'query Task($id: ID!) { task(id: $id) { id status } }';

describe.skipIf(!postgresBinDir())('load shedding in front of PostgreSQL', () => {
  let postgres: PostgresServer;
  const apis: FaultApi[] = [];
  const figures: FaultFigures[] = [];

  beforeAll(async () => {
    postgres = await PostgresServer.start();
  });
  afterAll(async () => {
    printFigures(figures);
    for (const api of apis) await api.close();
    await postgres?.destroy();
  });

  async function apiWith(env: Record<string, string>): Promise<{ api: FaultApi; user: TestUser; variables: { id: string } }> {
    const api = await startFaultApi({ DATABASE_URL: postgres.url, CACHE_MODE: 'off', DB_QUEUE_TIMEOUT_MS: String(QUEUE_TIMEOUT_MS), ...env });
    apis.push(api);
    const user = await api.createUser();
    const [id] = (await createTaskTree(api.database.db, user.id, { tasks: 1 })) as [string];
    // The viewer is known from here on: its check needs no connection while the pool is full.
    expect((await api.post(TASK, { id }, user)).status).toBe(200);
    return { api, user, variables: { id } };
  }

  /** Holds `tasks` exclusively until the returned function is called. */
  async function lockTasks(): Promise<() => Promise<void>> {
    const session: pg.Client = await postgres.session();
    await session.query('begin');
    await session.query('lock table tasks in access exclusive mode');
    return async () => {
      await session.query('commit');
      await session.end();
    };
  }

  const waitingOnLock = () =>
    postgres.query<{ count: string }>('arya', `select count(*) as count from pg_stat_activity where datname = 'arya' and wait_event_type = 'Lock'`);

  it('answers 503 SERVICE_UNAVAILABLE within the queue timeout when long statements hold every pooled connection', async () => {
    const { api, user, variables } = await apiWith({ DB_POOL_SIZE: '2' });
    const unlock = await lockTasks();
    const holders = [api.post(TASK, variables, user), api.post(TASK, variables, user)];
    await eventually('both pooled connections to wait on the lock', async () => Number((await waitingOnLock())[0]!.count) === 2);

    const outcomes = await runLoad({
      url: `${api.origin}/graphql`,
      next: () => ({ body: JSON.stringify({ query: TASK, variables }), token: user.token }),
      concurrency: 6,
      durationMs: 1_500,
      maxRequests: 200,
      timeoutMs: 10_000,
    });
    const one = await api.post(TASK, variables, user);
    await unlock();

    figures.push(summarize('pool exhausted (2 connections held by long statements)', outcomes));
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o.status === 503 && o.code === 'SERVICE_UNAVAILABLE')).toBe(true);
    expect(Math.max(...outcomes.map((o) => o.durationMs))).toBeLessThan(SHED_WITHIN_MS);
    expect(one.headers.get('retry-after')).toBe('1');
    expect(one.json.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true, retryAfter: 1 });
    // The statements that held the pool finish once the lock is gone, and the pool serves again.
    for (const holder of await Promise.all(holders)) expect(holder.status).toBe(200);
    expect((await api.post(TASK, variables, user)).status).toBe(200);
    const shed = await api.metrics.registry.getSingleMetric('rate_limit_rejections_total')!.get();
    expect(shed.values.find((v) => v.labels.reason === 'db_gate')?.value).toBeGreaterThanOrEqual(outcomes.length);
  });

  it('sheds past DB_MAX_CONCURRENT even while the pool has connections to spare', async () => {
    const { api, user, variables } = await apiWith({ DB_POOL_SIZE: '5', DB_MAX_CONCURRENT: '1' });
    const unlock = await lockTasks();
    const holder = api.post(TASK, variables, user);
    await eventually('the one admitted statement to wait on the lock', async () => Number((await waitingOnLock())[0]!.count) === 1);
    const startedAt = performance.now();
    const shed = await api.post(TASK, variables, user);
    const waitedMs = performance.now() - startedAt;
    await unlock();

    expect(shed.status).toBe(503);
    expect(shed.json.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(waitedMs).toBeGreaterThanOrEqual(QUEUE_TIMEOUT_MS - 50);
    expect(waitedMs).toBeLessThan(SHED_WITHIN_MS);
    expect((await holder).status).toBe(200);
    expect(api.database.poolStats().total).toBeLessThanOrEqual(2);
  });

  it('turns a statement past DB_STATEMENT_TIMEOUT_MS into SERVICE_UNAVAILABLE (retryable), never a hung request', async () => {
    const { api, user, variables } = await apiWith({ DB_STATEMENT_TIMEOUT_MS: '300' });
    const unlock = await lockTasks();
    const outcomes = await runLoad({
      url: `${api.origin}/graphql`,
      next: () => ({ body: JSON.stringify({ query: TASK, variables }), token: user.token }),
      concurrency: 4,
      durationMs: 1_000,
      maxRequests: 50,
      timeoutMs: 10_000,
    });
    const one = await api.post(TASK, variables, user);
    await unlock();
    await sleep(50);

    figures.push(summarize('slow statement (waits on a lock past a 300 ms statement timeout)', outcomes));
    expect(outcomes.every((o) => o.status === 503 && o.code === 'SERVICE_UNAVAILABLE')).toBe(true);
    // The statement timeout is what ends them: about 300 ms each, never the client's 10 s.
    expect(Math.min(...outcomes.map((o) => o.durationMs))).toBeGreaterThanOrEqual(250);
    expect(Math.max(...outcomes.map((o) => o.durationMs))).toBeLessThan(300 + 1_000);
    expect(one.json.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    expect((await api.post(TASK, variables, user)).status).toBe(200);
  });
});
