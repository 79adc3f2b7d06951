import { randomBytes } from 'node:crypto';
import { resolveJwtSecret } from '../../src/auth/dev-secret.js';
import { loadConfig, type Config } from '../../src/config.js';
import { deleteCreatedTasks, prepareFixtures, type Fixtures } from './fixtures.js';
import { runLoad, type LoadOutcome } from './load.js';
import { diffMetrics, hasCacheMetrics, ratio, scrapeMetrics, type PhaseMetrics, type Snapshot } from './metrics.js';
import { startServer, type ServerProcess } from './server-process.js';
import type { BenchReport, CacheMode, DataSummary, ModeRun, WorkloadFailure, WorkloadId, WorkloadResult } from './types.js';
import type { Phase, Workload } from './workload.js';
import { WORKLOADS } from './workloads.js';

export interface BenchOptions {
  /** The environment of the server and of the database lookups (DATABASE_URL, JWT_SECRET, ...). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** A running server's GraphQL endpoint; without it, the runner starts one per cache mode. */
  readonly url?: string | undefined;
  readonly connections: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly workloads: readonly WorkloadId[];
  /** CACHE_MODE of the started server; with `url`, only a label (undefined: `external`). */
  readonly cache?: 'on' | 'off' | 'both' | undefined;
  readonly log?: (line: string) => void;
}

/**
 * Runs the selected workloads once per cache mode: reads the fixtures from
 * the database, starts the server (unless given one), checks each workload's
 * answer, warms up, times it between two scrapes of /metrics, then stops the
 * server and deletes the tasks W5 and W6 created.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const config = loadConfig(options.env);
  const startedAt = new Date();
  const runTag = `bench-${startedAt.getTime().toString(36)}`;
  const modes = cacheModes(options);
  const runs: ModeRun[] = [];
  const notes: string[] = [];
  let data: DataSummary | undefined;
  let lastUrl = options.url ?? '';
  // Production serves /metrics only behind a token: the one of the env, or one made for the servers started here.
  const metricsToken = config.metrics.token ?? randomBytes(24).toString('hex');

  for (const mode of modes) {
    log(`cache ${mode}: reading the fixtures from the database`);
    const fixtures = await prepareFixtures(config, runTag);
    data ??= summarizeData(fixtures);
    let server: ServerProcess | undefined;
    if (options.url === undefined) {
      log(`cache ${mode}: starting the server`);
      // Info level logs a line per request: at thousands per second that is a workload of its own.
      // The benchmark measures the server, not its fair-share budgets (W7 is one viewer on 32 connections):
      // budgets out of the way unless the caller set them.
      const budgets = { RATE_LIMIT_POINTS: options.env.RATE_LIMIT_POINTS ?? '1000000000' };
      server = await startServer({ ...options.env, ...budgets, ...(await productionEnv(config)), METRICS_TOKEN: metricsToken, LOG_LEVEL: 'warn', CACHE_MODE: mode });
    }
    lastUrl = server?.url ?? lastUrl;
    try {
      runs.push(await runMode(mode, lastUrl, fixtures, options, log, server, metricsToken));
    } finally {
      if (server) {
        await server.stop();
        // Keeps the bench data the same from run to run (W2's PENDING pages would fill with them).
        try {
          const deleted = await deleteCreatedTasks(config, fixtures);
          if (deleted > 0) log(`cache ${mode}: deleted the ${deleted} tasks W5, W6 and W9 created`);
        } catch (error) {
          // The figures are measured already: a failed cleanup must not lose them.
          notes.push(`Deleting the tasks W5, W6 and W9 created failed (${error instanceof Error ? error.message : String(error)}): delete the tasks whose topic starts with "${runTag}".`);
        }
      }
    }
    if (!server && options.workloads.some((id) => id === 'W5' || id === 'W6' || id === 'W9')) {
      // Deleting behind a running server's back would leave its caches holding the rows.
      notes.push(`The tasks W5, W6 and W9 created on ${options.url} were kept (topics start with "${runTag}").`);
    }
  }

  return {
    version: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    target: { url: lastUrl, startedServer: options.url === undefined, database: config.database.url === undefined ? 'pglite' : 'postgres' },
    settings: { connections: options.connections, durationS: options.durationS, warmupS: options.warmupS, workloads: [...options.workloads] },
    data: data!,
    runs,
    notes,
  };
}

function cacheModes(options: BenchOptions): CacheMode[] {
  if (options.url !== undefined) {
    if (options.cache === 'both') throw new Error('--cache both needs the runner to start the server: leave out --url');
    return [options.cache ?? 'external'];
  }
  return options.cache === 'both' ? ['off', 'on'] : [options.cache ?? 'on'];
}

async function runMode(
  mode: CacheMode,
  url: string,
  fixtures: Fixtures,
  options: BenchOptions,
  log: (line: string) => void,
  server: ServerProcess | undefined,
  metricsToken: string,
): Promise<ModeRun> {
  const results: WorkloadResult[] = [];
  const failures: WorkloadFailure[] = [];
  const snapshots: (Snapshot | null)[] = [];
  const selected = WORKLOADS.filter((w) => options.workloads.includes(w.id));

  for (const workload of selected) {
    try {
      const phases = await workload.prepare({ url, fixtures, metricsToken });
      for (const phase of phases) {
        log(`cache ${mode}: ${phase.key} ${phase.title}`);
        if (options.warmupS > 0) await runPhase(phase, url, options.connections, options.warmupS);
        const before = await scrapeMetrics(url, metricsToken);
        const outcome = await runPhase(phase, url, options.connections, options.durationS);
        const after = await scrapeMetrics(url, metricsToken);
        snapshots.push(before, after);
        const result = toResult(workload, phase, outcome, diffMetrics(before, after), mode);
        results.push(result);
        const errors = result.errors.http + result.errors.graphql + result.errors.network;
        if (errors > 0 && server) log(`${phase.key}: ${errors} errors; the server's last lines:\n${server.logTail()}`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ workload: workload.id, title: workload.title, error: message });
      log(`${workload.id} aborted: ${message}`);
    }
  }

  const hits = results.reduce((sum, r) => sum + (r.extra.cacheHits ?? 0), 0);
  const lookups = results.reduce((sum, r) => sum + (r.extra.cacheLookups ?? 0), 0);
  const cacheMetricsAvailable = snapshots.some(hasCacheMetrics);
  const notes: string[] = [];
  if (mode !== 'off' && cacheMetricsAvailable && lookups === 0 && results.length > 0) {
    notes.push('The server declares cache_requests_total but counted no lookup: the hit rate is n/a (x-cache in the notes counts whole-response hits).');
  }
  return {
    cacheMode: mode,
    metricsAvailable: snapshots.some((s) => s !== null),
    cacheMetricsAvailable,
    results,
    failures,
    cacheHitRate: cacheMetricsAvailable ? ratio(hits, lookups) : null,
    notes,
  };
}

function runPhase(phase: Phase, url: string, connections: number, durationS: number) {
  return phase.kind === 'load' ? runLoad({ url, connections, durationS, next: phase.next }) : phase.run({ url, connections, durationS });
}

function toResult(
  workload: Workload,
  phase: Phase,
  outcome: LoadOutcome & { extra?: Record<string, number>; notes?: string[] },
  metrics: PhaseMetrics,
  mode: CacheMode,
): WorkloadResult {
  const reqPerSec = outcome.durationS > 0 ? outcome.responses / outcome.durationS : 0;
  const extra: Record<string, number> = { ...(phase.kind === 'load' ? phase.extra?.(reqPerSec) : {}), ...outcome.extra };
  // With the cache off the server still tags answers (MISS): only worth a figure where a cache may answer.
  if (outcome.responseCache.tagged > 0 && mode !== 'off') {
    Object.assign(extra, { responseCacheHits: outcome.responseCache.hits, responseCacheAnswers: outcome.responseCache.tagged });
  }
  // Kept so that the run's overall hit rate weighs each phase by its lookups.
  if (metrics.cacheLookups !== null) Object.assign(extra, { cacheHits: metrics.cacheHits ?? 0, cacheLookups: metrics.cacheLookups });
  const notes = [...phase.notes, ...(outcome.notes ?? [])];
  if (outcome.firstError !== undefined) notes.push(`first error: ${outcome.firstError}`);
  if (metrics.operations === 0 && outcome.responses > 0) notes.push('graphql_operation_sql_statements counted none of these requests: SQL/req n/a');
  return {
    key: phase.key,
    workload: workload.id,
    title: phase.title,
    requests: outcome.responses,
    durationS: outcome.durationS,
    reqPerSec,
    latencyMs: outcome.latencies.summary(),
    errors: outcome.errors,
    sqlPerRequest: ratio(metrics.sqlStatements, metrics.operations),
    cacheHitRate: ratio(metrics.cacheHits, metrics.cacheLookups),
    extra,
    notes,
  };
}

function summarizeData(fixtures: Fixtures): DataSummary {
  return {
    viewers: fixtures.viewers.length,
    hotTasks: fixtures.hotTasks.length,
    runningTasks: fixtures.runningTasks.length,
    deepPageUser: fixtures.deepPage.viewer.email,
    deepPageOffset: fixtures.deepPage.offset,
    deepPageUserTasks: fixtures.deepPage.taskCount,
  };
}

/**
 * Against PostgreSQL the server runs as in production (graphql-js skips its
 * development-only checks, errors are masked), with the secret the runner
 * signs its tokens with and no TLS on loopback. PGlite cannot run as
 * production (the config requires DATABASE_URL there), so it keeps its mode.
 */
async function productionEnv(config: Config): Promise<Record<string, string>> {
  if (config.database.url === undefined) return {};
  return { NODE_ENV: 'production', JWT_SECRET: await resolveJwtSecret(config), DB_SSL: String(config.database.ssl) };
}
