import { describe, expect, it } from 'vitest';
import { compareReports, evaluateKpis } from '../../tools/bench/compare.js';
import { diffMetrics, hasCacheMetrics, parsePrometheusText, ratio } from '../../tools/bench/metrics.js';
import { niceCeiling } from '../../tools/bench/report/chart.js';
import { LatencyRecorder } from '../../tools/bench/stats.js';
import type { BenchReport, WorkloadResult } from '../../tools/bench/types.js';

const scrape = (sqlSum: number, sqlCount: number, hits: number, misses: number) =>
  parsePrometheusText(`# HELP graphql_operation_sql_statements SQL statements sent by one GraphQL request
# TYPE graphql_operation_sql_statements histogram
graphql_operation_sql_statements_bucket{le="1",operation="BenchTask"} 3
graphql_operation_sql_statements_sum{operation="BenchTask"} ${sqlSum}
graphql_operation_sql_statements_count{operation="BenchTask"} ${sqlCount}
# TYPE cache_requests_total counter
cache_requests_total{namespace="tasks",layer="memory",result="hit"} ${hits}
cache_requests_total{namespace="tasks",layer="redis",result="miss"} ${misses}
`);

describe('the bench metrics scrape', () => {
  it('derives SQL statements per request and the hit rate from the growth between two scrapes', () => {
    const phase = diffMetrics(scrape(10, 10, 5, 5), scrape(40, 20, 35, 15));
    expect(ratio(phase.sqlStatements, phase.operations)).toBe(3);
    expect(ratio(phase.cacheHits, phase.cacheLookups)).toBe(0.75);
  });

  it('knows a declared counter that has no series yet, and reports n/a for a server without the metric', () => {
    const declaredOnly = parsePrometheusText('# TYPE cache_requests_total counter\n');
    expect(hasCacheMetrics(declaredOnly)).toBe(true);
    expect(diffMetrics(declaredOnly, declaredOnly).cacheLookups).toBe(0);
    expect(diffMetrics(parsePrometheusText(''), parsePrometheusText('')).sqlStatements).toBeNull();
    expect(diffMetrics(null, scrape(1, 1, 1, 1)).cacheHits).toBeNull();
  });

  it('reads escaped label values', () => {
    const [sample] = parsePrometheusText('m{a="x\\"y",b="z"} 2').samples;
    expect(sample).toEqual({ name: 'm', labels: { a: 'x"y', b: 'z' }, value: 2 });
  });
});

describe('the bench figures', () => {
  it('computes nearest-rank percentiles over every recorded latency', () => {
    const recorder = new LatencyRecorder();
    for (let ms = 100; ms >= 1; ms--) recorder.record(ms);
    expect(recorder.summary()).toMatchObject({ p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
  });

  it('rounds chart scales up to 1, 2 or 5 times a power of ten', () => {
    expect([niceCeiling(0.8), niceCeiling(130), niceCeiling(432), niceCeiling(2_001)]).toEqual([1, 200, 500, 5_000]);
  });
});

const result = (key: string, reqPerSec: number, p95: number, extra: Record<string, number> = {}): WorkloadResult => ({
  key,
  workload: key.slice(0, 2) as WorkloadResult['workload'],
  title: key,
  requests: 1_000,
  durationS: 10,
  reqPerSec,
  latencyMs: { p50: p95 / 2, p95, p99: p95 * 2, max: p95 * 3, mean: p95 / 2 },
  errors: { http: 0, graphql: 0, network: 0 },
  sqlPerRequest: 1,
  cacheHitRate: null,
  extra,
  notes: [],
});

const report = (results: WorkloadResult[], cacheHitRate: number | null = null): BenchReport => ({
  version: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:01:00.000Z',
  target: { url: 'http://127.0.0.1:4000/graphql', startedServer: true, database: 'postgres' },
  settings: { connections: 32, durationS: 10, warmupS: 3, workloads: ['W1'] },
  data: { viewers: 100, hotTasks: 1_000, runningTasks: 200, deepPageUser: 'batch@arya.dev', deepPageOffset: 9_000, deepPageUserTasks: 20_000 },
  runs: [{ cacheMode: 'on', metricsAvailable: true, cacheMetricsAvailable: cacheHitRate !== null, results, failures: [], cacheHitRate, notes: [] }],
  notes: [],
});

describe('the KPI check', () => {
  it('misses p95 over 200 ms, task queries under 500 req/s, stale reads and a hit rate under 60 %', () => {
    const missed = evaluateKpis(report([result('W1', 499, 50), result('W3', 80, 250), result('W8', 900, 40, { staleReads: 1 })], 0.5))
      .filter((k) => !k.pass)
      .map((k) => k.name);
    expect(missed).toEqual(['W1 throughput', 'W3 p95', 'W8 stale reads', 'cache hit rate']);
  });

  it('passes a run within every KPI', () => {
    expect(evaluateKpis(report([result('W1', 900, 50), result('W5', 150, 80)], 0.8)).every((k) => k.pass)).toBe(true);
  });

  it('compares each figure with an earlier run of the same workload', () => {
    const [row] = compareReports(report([result('W1', 900, 50)]), report([result('W1', 600, 100)]));
    expect(row).toMatchObject({ key: 'W1', reqPerSec: 1.5, p95: 0.5, sqlPerRequest: 1 });
  });
});
