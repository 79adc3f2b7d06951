import type { BenchReport, ModeRun, WorkloadResult } from './types.js';

/**
 * The KPI table of the performance guide, applied to a report, and ratios of
 * a report's figures to an earlier one's (or of cache on to cache off).
 */

export interface KpiCheck {
  readonly cacheMode: string;
  readonly name: string;
  readonly target: string;
  readonly actual: string;
  readonly pass: boolean;
}

const P95_MAX_MS = 200;
const MIN_REQ_PER_SEC: Readonly<Record<string, number>> = { W5: 100, W1: 500, W2: 500 };
const MAX_ERROR_RATE = 0.01;
const MIN_CACHE_HIT_RATE = 0.6;

export function errorRate(result: WorkloadResult): number {
  const { http, graphql, network } = result.errors;
  const attempts = result.requests + network;
  return attempts === 0 ? 0 : (http + graphql + network) / attempts;
}

/** Every KPI that applies to the report; a workload that was not timed fails its own line. */
export function evaluateKpis(report: BenchReport): KpiCheck[] {
  return report.runs.flatMap((run) => {
    const mode = run.cacheMode;
    const checks: KpiCheck[] = [];
    for (const r of run.results) {
      checks.push({ cacheMode: mode, name: `${r.key} p95`, target: `< ${P95_MAX_MS} ms`, actual: `${r.latencyMs.p95.toFixed(1)} ms`, pass: r.latencyMs.p95 < P95_MAX_MS });
      const minRate = MIN_REQ_PER_SEC[r.key];
      if (minRate !== undefined) {
        checks.push({ cacheMode: mode, name: `${r.key} throughput`, target: `> ${minRate} req/s`, actual: `${r.reqPerSec.toFixed(0)} req/s`, pass: r.reqPerSec > minRate });
      }
      const rate = errorRate(r);
      checks.push({ cacheMode: mode, name: `${r.key} error rate`, target: `< ${MAX_ERROR_RATE * 100} %`, actual: formatPercent(rate), pass: rate < MAX_ERROR_RATE });
      if (r.extra.staleReads !== undefined) {
        checks.push({ cacheMode: mode, name: `${r.key} stale reads`, target: '0', actual: String(r.extra.staleReads), pass: r.extra.staleReads === 0 });
      }
    }
    for (const f of run.failures) {
      checks.push({ cacheMode: mode, name: `${f.workload} check`, target: 'answers match the database', actual: f.error, pass: false });
    }
    // Only where a cache is meant to be on and the server reports its lookups.
    if (mode !== 'off' && run.cacheMetricsAvailable && run.cacheHitRate !== null) {
      checks.push({ cacheMode: mode, name: 'cache hit rate', target: `> ${MIN_CACHE_HIT_RATE * 100} %`, actual: formatPercent(run.cacheHitRate), pass: run.cacheHitRate > MIN_CACHE_HIT_RATE });
    }
    return checks;
  });
}

export interface RatioRow {
  readonly cacheMode: string;
  readonly key: string;
  /** new / old; null where either side lacks the figure. */
  readonly reqPerSec: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly sqlPerRequest: number | null;
  readonly cacheHitRate: number | null;
}

function quotient(a: number | null | undefined, b: number | null | undefined): number | null {
  return a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;
}

function ratioRows(label: string, current: ModeRun, base: ModeRun): RatioRow[] {
  const earlier = new Map(base.results.map((r) => [r.key, r]));
  return current.results.flatMap((r) => {
    const old = earlier.get(r.key);
    if (!old) return [];
    return [{
      cacheMode: label,
      key: r.key,
      reqPerSec: quotient(r.reqPerSec, old.reqPerSec),
      p50: quotient(r.latencyMs.p50, old.latencyMs.p50),
      p95: quotient(r.latencyMs.p95, old.latencyMs.p95),
      p99: quotient(r.latencyMs.p99, old.latencyMs.p99),
      sqlPerRequest: quotient(r.sqlPerRequest, old.sqlPerRequest),
      cacheHitRate: quotient(r.cacheHitRate, old.cacheHitRate),
    }];
  });
}

/** Runs are paired by cache mode; two single-run reports are paired whatever their modes. */
export function compareReports(current: BenchReport, earlier: BenchReport): RatioRow[] {
  if (current.runs.length === 1 && earlier.runs.length === 1) {
    const [now, then] = [current.runs[0]!, earlier.runs[0]!];
    return ratioRows(now.cacheMode === then.cacheMode ? now.cacheMode : `${now.cacheMode}/${then.cacheMode}`, now, then);
  }
  return current.runs.flatMap((run) => {
    const match = earlier.runs.find((r) => r.cacheMode === run.cacheMode);
    return match ? ratioRows(run.cacheMode, run, match) : [];
  });
}

/** With `--cache both`: cache on / cache off for each workload. */
export function cacheRatios(report: BenchReport): RatioRow[] {
  const on = report.runs.find((r) => r.cacheMode === 'on');
  const off = report.runs.find((r) => r.cacheMode === 'off');
  return on && off ? ratioRows('on/off', on, off) : [];
}

export function formatPercent(value: number): string {
  return `${(value * 100).toFixed(value < 0.01 && value > 0 ? 2 : 1)} %`;
}
