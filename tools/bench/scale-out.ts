/**
 * flock /tmp/bench.lock npm run bench:scale-out -- [--scale 0.05] [--instances 3] [--lag-ms 1000]
 *   [--connections 32] [--duration 10] [--warmup 3]
 *
 * W8 (reads checked against acknowledged progress) across N API instances on
 * one primary and one streaming replica that applies WAL `--lag-ms` late,
 * with the cache on, then off; then the same W8 against one instance without
 * replicas, for the throughput comparison. Everything runs on servers of its
 * own on spare loopback ports (PostgreSQL pair, redis-server, the instances),
 * stopped at the end whatever happens. Prints one table (scale-out-figures.ts).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { PostgresDialect } from 'kysely';
import pg from 'pg';
import { createKysely } from '../../src/db/connect.js';
import { SqlTracker } from '../../src/db/sql-tracker.js';
import { parseSeedScale, seed } from '../../src/seed/seed.js';
import { UsageError, runCommand } from '../cli/run-command.js';
import { startRedisProcess } from '../servers/redis-process.js';
import { ReplicatedPostgres } from '../servers/replicated-postgres.js';
import { scrapeMetrics } from './metrics.js';
import { runBench } from './runner.js';
import { readPlacement, renderScaleOutTable, type ScaleOutRow } from './scale-out-figures.js';
import { startServer, type ServerProcess } from './server-process.js';

const USAGE = `Usage: flock /tmp/bench.lock npm run bench:scale-out -- [--scale 0.05] [--instances 3] [--lag-ms 1000]
  [--connections 32] [--duration 10] [--warmup 3]`;
/** The replica must have replayed the seed before the instances start: else the first reads all go to the primary. */
const CATCH_UP_TIMEOUT_MS = 60_000;

interface Setup {
  readonly instances: number;
  readonly replicas: 0 | 1;
  readonly cache: 'on' | 'off';
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '0.05' },
      instances: { type: 'string', default: '3' },
      'lag-ms': { type: 'string', default: '1000' },
      connections: { type: 'string', default: '32' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const whole = (flag: string, text: string, min: number) => {
    if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`${flag} must be a whole number from ${min}, got "${text}"`);
    return Number(text);
  };
  let scale;
  try {
    scale = parseSeedScale(values.scale);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    help: values.help === true,
    scale,
    instances: whole('--instances', values.instances, 1),
    lagMs: whole('--lag-ms', values['lag-ms'], 0),
    connections: whole('--connections', values.connections, 1),
    durationS: whole('--duration', values.duration, 1),
    warmupS: whole('--warmup', values.warmup, 0),
  };
}

const log = (line: string) => process.stderr.write(`scale-out: ${line}\n`);
const load = () => loadavg().map((n) => n.toFixed(2)).join(', ');

async function main(): Promise<void> {
  const options = parseOptions();
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((error: unknown) => log(`stopping: ${String(error)}`));
  };
  // Ctrl-C: stop what was started, then exit (the `finally` below may never run).
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const loadBefore = load();
  try {
    log(`starting a primary and a replica applying WAL ${options.lagMs} ms late`);
    const postgres = await ReplicatedPostgres.start({ applyDelayMs: options.lagMs });
    stops.push(() => postgres.destroy());
    await seedPrimary(postgres.primaryUrl, options.scale);
    await untilReplayed(postgres);
    const redis = await startRedisProcess();
    stops.push(() => redis.stop());

    const metricsToken = randomBytes(24).toString('hex');
    // As the runner starts a server against PostgreSQL: production mode, budgets out of the way, warnings only.
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: postgres.primaryUrl,
      DB_SSL: 'false',
      REDIS_URL: redis.url,
      REDIS_CLUSTER: 'false',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      METRICS_TOKEN: metricsToken,
      RATE_LIMIT_POINTS: '1000000000',
      LOG_LEVEL: 'warn',
    };
    const setups: Setup[] = [
      { instances: options.instances, replicas: 1, cache: 'on' },
      { instances: options.instances, replicas: 1, cache: 'off' },
      { instances: 1, replicas: 0, cache: 'on' },
      { instances: 1, replicas: 0, cache: 'off' },
    ];
    const rows: ScaleOutRow[] = [];
    for (const setup of setups) {
      if (interrupted) return;
      // Each setup starts with a cold cache and no read-your-writes records (the redis-server is ours alone).
      const client = new Redis(redis.url);
      await client.flushall();
      client.disconnect();
      const setupEnv = { ...env, CACHE_MODE: setup.cache, DATABASE_REPLICA_URLS: setup.replicas > 0 ? postgres.replicaUrl : '' };
      rows.push(await measure(setup, setupEnv, options, metricsToken, stops));
    }
    console.log(`\nW8, ${options.durationS} s timed after ${options.warmupS} s warmup, ${options.connections} connections, seed scale ${options.scale}, replica lag ${options.lagMs} ms`);
    console.log(`${renderScaleOutTable(rows)}\n`);
    for (const row of rows.filter((r) => r.replicas > 0)) {
      const reasons = Object.entries(row.placement.onPrimaryByReason).map(([reason, n]) => `${reason} ${n}`).join(', ') || 'none';
      console.log(`${row.instances} instances, cache ${row.cache}: ${row.placement.onReplica} reads on the replica; on the primary: ${reasons}`);
    }
    console.log('Shares count the warmup too (between scrapes around the whole W8 run); stale reads count every read checked.');
    console.log(`load average (1, 5, 15 min): ${loadBefore} before, ${load()} after`);
    const stale = rows.reduce((n, r) => n + (r.result.extra.staleReads ?? 0), 0);
    if (stale > 0) {
      console.error(`${stale} stale reads`);
      process.exitCode = 1;
    }
  } finally {
    await stopAll();
  }
}

async function seedPrimary(url: string, scale: ReturnType<typeof parseSeedScale>): Promise<void> {
  log(`seeding the primary at scale ${scale}`);
  const db = createKysely(new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }), new SqlTracker());
  try {
    await seed(db, { scale });
  } finally {
    await db.destroy();
  }
}

/** Until the replica has replayed everything the primary has written so far. */
async function untilReplayed(postgres: ReplicatedPostgres): Promise<void> {
  const [{ lsn }] = (await postgres.onPrimary<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')) as [{ lsn: string }];
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
  for (;;) {
    const [row] = await postgres.onReplica<{ behind: string | null }>('select pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::text as behind', [lsn]);
    if (row?.behind !== null && Number(row?.behind) <= 0) return;
    if (Date.now() > deadline) throw new Error(`the replica did not replay ${lsn} within ${CATCH_UP_TIMEOUT_MS / 1000} s`);
    await sleep(200);
  }
}

/** `stops` gets each instance's stop too, so that an interrupt stops the instances of the setup under way. */
async function measure(
  setup: Setup,
  env: Record<string, string | undefined>,
  options: ReturnType<typeof parseOptions>,
  metricsToken: string,
  stops: (() => Promise<unknown>)[],
): Promise<ScaleOutRow> {
  const label = `${setup.instances} instance(s), ${setup.replicas} replica(s), cache ${setup.cache}`;
  log(`${label}: starting`);
  const servers: ServerProcess[] = [];
  try {
    for (let i = 0; i < setup.instances; i += 1) {
      const server = await startServer(env);
      servers.push(server);
      stops.push(() => server.stop());
    }
    const url = servers.map((server) => server.url).join(',');
    const before = await scrapeMetrics(url, metricsToken);
    const report = await runBench({ env, url, connections: options.connections, durationS: options.durationS, warmupS: options.warmupS, workloads: ['W8'], cache: setup.cache, log: (line) => log(`${label}: ${line}`) });
    const after = await scrapeMetrics(url, metricsToken);
    const run = report.runs[0];
    const result = run?.results[0];
    if (!run || !result) throw new Error(`${label}: W8 was not timed: ${run?.failures.map((f) => f.error).join('; ') ?? 'no run'}`);
    return { ...setup, result, placement: readPlacement(before, after) };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

runCommand('bench:scale-out', USAGE, main);
