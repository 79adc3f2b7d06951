// @requires initdb
// @requires pg_ctl
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import { startFaultApi, type FaultApi } from '../../helpers/fault-api.js';
import { printFigures, runLoad, summarize, type FaultFigures, type RequestOutcome } from '../../helpers/load-loop.js';
import { PostgresServer, postgresBinDir } from '../../helpers/postgres-server.js';
import { createTaskTree } from '../../helpers/factories.js';
import type { TestUser } from '../../helpers/test-api.js';

/**
 * PostgreSQL restarted and its sessions cut under the API's feet, on a server
 * of this file's own. The cache is off so that every request reaches PostgreSQL.
 *
 * Bound on any request: DB_QUEUE_TIMEOUT_MS (1 s) for a connection, then one
 * statement; a refused or cut connection fails at once. 3 s leaves room for a
 * loaded test machine and is still far from pg's own 30-second wait.
 */
const SLOWEST_MS = 3_000;
const RECOVERY_MS = 5_000;
const run = promisify(execFile);

describe.skipIf(!postgresBinDir())('PostgreSQL faults', () => {
  let postgres: PostgresServer;
  let api: FaultApi;
  let user: TestUser;
  let body: string;
  const figures: FaultFigures[] = [];

  beforeAll(async () => {
    postgres = await PostgresServer.start();
    api = await startFaultApi({ DATABASE_URL: postgres.url, CACHE_MODE: 'off' });
    user = await api.createUser();
    const [taskId] = await createTaskTree(api.database.db, user.id, { tasks: 1 });
    body = JSON.stringify({ query: 'query Task($id: ID!) { task(id: $id) { id status } }', variables: { id: taskId } });
  });
  afterAll(async () => {
    printFigures(figures);
    await api?.close();
    await postgres?.destroy();
  });

  /** 8 clients for `durationMs`; `fault` runs meanwhile and answers when the service was back (ms since the loop started). */
  async function underLoad(durationMs: number, fault: () => Promise<number>): Promise<{ outcomes: RequestOutcome[]; backAt: number }> {
    const loop = runLoad({ url: `${api.origin}/graphql`, next: () => ({ body, token: user.token }), concurrency: 8, durationMs, maxRequests: 20_000, timeoutMs: 10_000, pauseMs: 2 });
    const [outcomes, backAt] = await Promise.all([loop, fault()]);
    return { outcomes, backAt };
  }

  function expectFailFastAndRecovered(name: string, outcomes: RequestOutcome[], backAt: number): FaultFigures {
    const summary = summarize(name, outcomes, backAt);
    figures.push(summary);
    expect(Object.keys(summary.codes).filter((code) => code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    expect(outcomes.filter((o) => !o.ok).every((o) => o.status === 503)).toBe(true);
    expect(summary.slowestMs).toBeLessThan(SLOWEST_MS);
    expect(summary.recoveryMs).toBeDefined();
    expect(summary.recoveryMs!).toBeLessThan(RECOVERY_MS);
    return summary;
  }

  it('pg_ctl restart -m fast under load: failures are fast SERVICE_UNAVAILABLE, and the API recovers by itself', async () => {
    const started = performance.now();
    const { outcomes, backAt } = await underLoad(3_000, async () => {
      await sleep(700);
      await postgres.restart();
      return performance.now() - started;
    });
    expectFailFastAndRecovered('PostgreSQL restart (pg_ctl restart -m fast)', outcomes, backAt);
    expect((await api.post('{ viewer { id } }', {}, user)).status).toBe(200);
  });

  it('PostgreSQL down for 1.5 s under load: every request meanwhile fails fast, none hangs, the first after it succeeds', async () => {
    const started = performance.now();
    const { outcomes, backAt } = await underLoad(4_000, async () => {
      await sleep(700);
      await postgres.stop();
      await sleep(1_500);
      await postgres.start();
      return performance.now() - started;
    });
    const summary = expectFailFastAndRecovered('PostgreSQL stopped 1.5 s, started', outcomes, backAt);
    expect(summary.failed).toBeGreaterThan(0);
  });

  it('survives idle pooled connections cut by pg_terminate_backend, and the next request works', async () => {
    // Several connections in the pool, all idle once these have answered.
    await Promise.all(Array.from({ length: 6 }, () => api.post('query Task($id: ID!) { task(id: $id) { id } }', JSON.parse(body).variables, user)));
    const warningsBefore = api.warnings.length;
    expect(await postgres.terminateBackends()).toBeGreaterThan(0);
    await sleep(300);
    // The pool's error listener saw the cut connections (without it the process would be gone).
    expect(api.warnings.slice(warningsBefore).some((line) => line.includes('pool error'))).toBe(true);
    const next = await api.post('query Task($id: ID!) { task(id: $id) { id } }', JSON.parse(body).variables, user);
    expect(next.status).toBe(200);
    expect(next.json.errors).toBeUndefined();
  });

  it('survives a connection cut while checked out in a transaction: that statement fails with SERVICE_UNAVAILABLE', async () => {
    const outcome = await api.database.db
      .transaction()
      .execute(async (trx) => {
        await trx.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
        await postgres.terminateBackends();
        // The cut arrives while no statement runs: pg emits 'error' on the checked-out client.
        await sleep(300);
        await trx.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
        return 'committed';
      })
      .catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(ApiError);
    expect((outcome as ApiError).extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    expect((await api.post('{ viewer { id } }', {}, user)).status).toBe(200);
  });

  it('shows the trap: a bare node-postgres pool dies of the same cuts (no error listener, or a checked-out client)', async () => {
    for (const mode of ['idle', 'checked-out']) {
      const child = await run(process.execPath, ['--input-type=module', '-e', BARE_POOL_SCRIPT, postgres.url, mode], { timeout: 15_000 }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code?: number; stderr?: string }) => ({ code: error.code, stderr: error.stderr ?? '' }),
      );
      expect(child.code, `${mode}: ${child.stderr}`).not.toBe(0);
      expect(child.stderr).toMatch(/terminat/i);
    }
  });
});

/**
 * A process with a plain pg.Pool, as node-postgres gives it: the connection is
 * cut (pg_terminate_backend) while idle in a pool without an 'error' listener,
 * or while checked out (the pool then listens, the client does not). Either
 * way the 'error' event is unhandled and the process exits; it exits 0 only if
 * it is still alive a second later.
 */
const BARE_POOL_SCRIPT = `
import pg from 'pg';
const [url, mode] = process.argv.slice(1);
const pool = new pg.Pool({ connectionString: url, max: 1 });
if (mode === 'checked-out') pool.on('error', () => {});
const client = await pool.connect();
const { rows } = await client.query('select pg_backend_pid() as pid');
if (mode === 'idle') client.release();
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query('select pg_terminate_backend($1)', [rows[0].pid]);
await admin.end();
await new Promise((resolve) => setTimeout(resolve, 1000));
process.exit(0);
`;
