// @requires initdb
// @requires pg_ctl
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenIssuer } from '../../../src/auth/tokens.js';
import { createKysely } from '../../../src/db/connect.js';
import type { Db } from '../../../src/db/database.js';
import { SqlTracker } from '../../../src/db/sql-tracker.js';
import { insertUser } from '../../../src/users/user.repository.js';
import { PostgresServer, postgresBinDir } from '../../helpers/postgres-server.js';
import { eventually } from '../../helpers/redis-server.js';

/**
 * The real process (`node --import tsx src/main.ts`) against a PostgreSQL of
 * this file's own, sent SIGTERM in the middle of a batch mutation. The
 * mutation is held there by a lock on `tasks` that the test takes and lets go.
 */
const SECRET = 'graceful-shutdown-secret-long-enough!!';
const BATCH = 50;
const CREATE_TASKS = `mutation Batch($inputs: [CreateTaskInput!]!, $key: String) { createTasks(inputs: $inputs, idempotencyKey: $key) { id } }`;

interface RunningApi {
  readonly child: ChildProcess;
  readonly origin: string;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

describe.skipIf(!postgresBinDir())('graceful shutdown', () => {
  let postgres: PostgresServer;
  let db: Db;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    postgres = await PostgresServer.start();
    db = createKysely(new PostgresDialect({ pool: new pg.Pool({ connectionString: postgres.url, max: 2 }) }), new SqlTracker());
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await db?.destroy();
    await postgres?.destroy();
  });

  async function startApi(env: Record<string, string>): Promise<RunningApi> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      // Not `test`: Apollo installs its own signal handlers outside NODE_ENV=test, and
      // ours must be the only ones (they once raced and hung the shutdown).
      env: { PATH: process.env.PATH, NODE_ENV: 'development', DATABASE_URL: postgres.url, JWT_SECRET: SECRET, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const origin = await eventually('the API to listen', async () => /at (http:\/\/127\.0\.0\.1:\d+)\/graphql/.exec(output)?.[1], 30_000);
    return { child, origin, output: () => output, exited };
  }

  async function signedInUser(): Promise<{ id: string; token: string }> {
    const user = await insertUser(db, { email: `${randomUUID()}@test.arya.dev`, displayName: 'Shutdown' });
    return { id: user.id, token: await createTokenIssuer(SECRET).sign(user.id) };
  }

  function sendBatch(origin: string, token: string, key: string) {
    const inputs = Array.from({ length: BATCH }, (_, i) => ({ topic: `Shutdown ${i}` }));
    return fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: CREATE_TASKS, variables: { inputs, key } }),
    });
  }

  async function holdTasksLock(): Promise<() => Promise<void>> {
    const session = await postgres.session();
    await session.query('begin');
    await session.query('lock table tasks in exclusive mode');
    return async () => {
      await session.query('commit');
      await session.end();
    };
  }

  const insertWaitingOnLock = () =>
    eventually('the batch insert to wait on the lock', async () => {
      const rows = await postgres.query<{ count: string }>('arya', `select count(*) as count from pg_stat_activity where datname = 'arya' and wait_event_type = 'Lock'`);
      return Number(rows[0]!.count) >= 1;
    });

  const rowsOf = async (userId: string) => {
    const tasks = await db.selectFrom('tasks').select((eb) => eb.fn.countAll().as('n')).where('userId', '=', userId).executeTakeFirstOrThrow();
    const keys = await db.selectFrom('idempotency_keys').select((eb) => eb.fn.countAll().as('n')).where('userId', '=', userId).executeTakeFirstOrThrow();
    return { tasks: Number(tasks.n), keys: Number(keys.n) };
  };

  it('on SIGTERM goes unready, stops accepting, lets the batch mutation commit whole, closes and exits 0', async () => {
    const drainDelayMs = 1_500;
    const api = await startApi({ SHUTDOWN_DRAIN_DELAY_MS: String(drainDelayMs), SHUTDOWN_GRACE_MS: '10000' });
    const user = await signedInUser();
    expect((await fetch(`${api.origin}/readyz`)).status).toBe(200);
    const unlock = await holdTasksLock();
    const batch = sendBatch(api.origin, user.token, 'graceful-1');
    await insertWaitingOnLock();

    api.child.kill('SIGTERM');
    const signalledAt = performance.now();
    const readiness = await eventually('/readyz to answer draining', async () => {
      const response = await fetch(`${api.origin}/readyz`);
      return response.status === 503 && ((await response.json()) as { status: string });
    });
    expect(readiness).toMatchObject({ status: 'draining' });
    // Past the drain delay the server no longer accepts connections.
    await sleep(drainDelayMs + 300 - (performance.now() - signalledAt));
    await expect(fetch(`${api.origin}/healthz`)).rejects.toThrow();
    expect(api.child.exitCode).toBeNull();

    await unlock();
    const response = await batch;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: { createTasks: { id: string }[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.createTasks).toHaveLength(BATCH);
    expect(await api.exited).toBe(0);
    expect(api.output()).toContain('shut down cleanly');
    expect(await rowsOf(user.id)).toEqual({ tasks: BATCH, keys: 1 });
  });

  it('past SHUTDOWN_GRACE_MS exits 1 with a log line, and the unfinished batch leaves nothing behind', async () => {
    const api = await startApi({ SHUTDOWN_DRAIN_DELAY_MS: '0', SHUTDOWN_GRACE_MS: '1000' });
    const user = await signedInUser();
    const unlock = await holdTasksLock();
    const batch = sendBatch(api.origin, user.token, 'graceful-2').then(
      (response) => response.status,
      () => 'no answer' as const,
    );
    await insertWaitingOnLock();

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(1);
    expect(api.output()).toContain('shutdown grace period over');
    expect(await batch).toBe('no answer');
    await unlock();
    // The process died inside the transaction: PostgreSQL rolls back the claimed key and the tasks alike.
    await eventually('the dead session to end', async () => {
      const rows = await postgres.query<{ count: string }>('arya', `select count(*) as count from pg_stat_activity where datname = 'arya' and state like 'idle in transaction%'`);
      return Number(rows[0]!.count) === 0;
    });
    expect(await rowsOf(user.id)).toEqual({ tasks: 0, keys: 0 });
  });
});
