import { formatPercent, type KpiCheck, type RatioRow } from '../compare.js';
import type { BenchReport, ModeRun } from '../types.js';
import { errorsCell, highlights, hitCell, ms, rate, ratioCell, sqlCell } from './format.js';

/** Plain-text tables for the terminal: one per cache mode, then KPIs and ratios. */

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function renderRun(run: ModeRun): string {
  const rows = run.results.map((r) => [
    `${r.key} ${r.title}`,
    rate(r.reqPerSec),
    ms(r.latencyMs.p50),
    ms(r.latencyMs.p95),
    ms(r.latencyMs.p99),
    errorsCell(r),
    sqlCell(r),
    hitCell(r),
    [...highlights(r), ...r.notes.filter((n) => n.startsWith('first error'))].join('; '),
  ]);
  const header = ['workload', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors http/gql', 'SQL/req', 'hit rate', 'notes'];
  const failures = [...run.failures.map((f) => `  ${f.workload} ${f.title}: NOT TIMED, ${f.error}`), ...run.notes.map((n) => `  note: ${n}`)];
  const hit = run.cacheHitRate === null ? '' : `, overall hit rate ${formatPercent(run.cacheHitRate)}`;
  return [`cache ${run.cacheMode}${run.metricsAvailable ? '' : ' (no /metrics: SQL/req and hit rate n/a)'}${hit}`, table(header, rows, new Set([1, 2, 3, 4, 5, 6, 7])), ...failures].join('\n');
}

export function renderReport(report: BenchReport): string {
  return report.runs.map(renderRun).join('\n\n');
}

export function renderKpis(checks: readonly KpiCheck[]): string {
  const missed = checks.filter((c) => !c.pass);
  if (missed.length === 0) return `KPIs: all ${checks.length} met`;
  return [`KPIs: ${missed.length} of ${checks.length} missed`, ...missed.map((c) => `  [${c.cacheMode}] ${c.name}: ${c.actual} (target ${c.target})`)].join('\n');
}

export function renderRatios(title: string, rows: readonly RatioRow[]): string {
  const header = ['mode', 'workload', 'req/s', 'p50', 'p95', 'p99', 'SQL/req', 'hit rate'];
  const body = rows.map((r) => [r.cacheMode, r.key, ratioCell(r.reqPerSec), ratioCell(r.p50), ratioCell(r.p95), ratioCell(r.p99), ratioCell(r.sqlPerRequest), ratioCell(r.cacheHitRate)]);
  return `${title}\n${table(header, body, new Set([2, 3, 4, 5, 6, 7]))}`;
}
