import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBench } from '../../tools/bench/runner.js';
import { writeReportFiles } from '../../tools/bench/report/files.js';
import { WORKLOAD_IDS, type BenchReport } from '../../tools/bench/types.js';
import { loadConfig } from '../../src/config.js';
import { connectDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { seed } from '../../src/seed/seed.js';
import { backendKind, databaseUrl } from '../helpers/backend.js';
import { adminQuery } from '../helpers/global-setup.js';

const JWT_SECRET = 'bench-smoke-secret-long-enough-for-hs256';

/**
 * The benchmark end to end on the small scale: a database of its own, seeded,
 * a server started by the runner, every workload for a second with 2
 * connections. No timing is asserted; errors and stale reads must be zero.
 */
describe('npm run bench', () => {
  let folder: string;
  let env: Record<string, string | undefined>;
  let dropDatabase = async () => {};

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'arya-bench-smoke-'));
    env = { ...process.env, NODE_ENV: 'test', JWT_SECRET, PGLITE_DATA_DIR: path.join(folder, 'pglite'), DATABASE_URL: undefined };
    if (backendKind() === 'postgres') {
      const name = `arya_bench_smoke_${randomBytes(4).toString('hex')}`;
      await adminQuery(process.env.DATABASE_URL!, `create database ${name}`);
      env.DATABASE_URL = databaseUrl(process.env.DATABASE_URL!, name);
      dropDatabase = () => adminQuery(process.env.DATABASE_URL!, `drop database if exists ${name} with (force)`);
    }
    const database = await connectDatabase(loadConfig(env).database, { tracker: new SqlTracker() });
    try {
      await migrateToLatest(database.db);
      await seed(database.db, { scale: 'small' });
    } finally {
      await database.close();
    }
  });

  afterAll(async () => {
    await dropDatabase();
    await rm(folder, { recursive: true, force: true });
  });

  it('runs every workload without errors or stale reads, and writes JSON, Markdown and SVG', async () => {
    const report: BenchReport = await runBench({ env, connections: 2, durationS: 1, warmupS: 0, workloads: WORKLOAD_IDS, cache: 'on' });

    const [run] = report.runs;
    expect(run!.failures).toEqual([]);
    // A production server (the PostgreSQL backend) serves /metrics only to the runner's METRICS_TOKEN.
    expect(run!.metricsAvailable).toBe(true);
    expect(run!.results.map((r) => r.key)).toEqual(['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7-offset', 'W7-cursor', 'W8', 'W9', 'W9-fanout']);
    for (const result of run!.results) {
      expect({ key: result.key, requests: result.requests > 0, errors: result.errors }).toEqual({
        key: result.key,
        requests: true,
        errors: { http: 0, graphql: 0, network: 0 },
      });
    }
    const w8 = run!.results.find((r) => r.key === 'W8')!;
    expect(w8.extra.updates).toBeGreaterThan(0);
    expect(w8.extra.staleReads).toBe(0);
    // W9 gives every subscription a task of its own; W9-fanout shares the viewers' RUNNING tasks between them.
    for (const key of ['W9', 'W9-fanout']) {
      const w9 = run!.results.find((r) => r.key === key)!;
      // Some sockets drop halfway and resubscribe with `since`: nothing is lost across it either.
      expect({ key, delivered: w9.extra.eventsDelivered! > 0, resubscribed: w9.extra.resubscribed! > 0, lost: w9.extra.lostSubscriptions }).toEqual({
        key,
        delivered: true,
        resubscribed: true,
        lost: 0,
      });
    }
    const own = run!.results.find((r) => r.key === 'W9')!.extra;
    expect(own.tasksWatched).toBe(own.subscriptions);
    const fannedOut = run!.results.find((r) => r.key === 'W9-fanout')!.extra;
    expect(fannedOut.tasksWatched).toBeLessThan(fannedOut.subscriptions!);
    // The small scale has no batch client: W7 says which user and offset it used instead.
    expect(run!.results.find((r) => r.key === 'W7-offset')!.notes.join(' ')).toMatch(/no batch client/);

    const files = await writeReportFiles(report, path.join(folder, 'out'));
    const saved = JSON.parse(await readFile(files.json, 'utf8')) as BenchReport;
    expect(saved.runs[0]!.results).toHaveLength(11);
    expect(await readFile(files.markdown, 'utf8')).toContain('| W8 90 % reads / 10 % updates |');
    expect(await readFile(files.chart, 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>\n$/);
  }, 90_000);
});
