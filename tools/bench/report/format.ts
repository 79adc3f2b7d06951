import { formatPercent } from '../compare.js';
import type { WorkloadResult } from '../types.js';

/** Formatting shared by the terminal table and the Markdown report. */

export const NA = 'n/a';

export function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export function rate(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

export function orNa<T>(value: T | null, format: (v: T) => string): string {
  return value === null ? NA : format(value);
}

export function errorsCell(r: WorkloadResult): string {
  const { http, graphql, network } = r.errors;
  return network > 0 ? `${http}/${graphql}/${network} net` : `${http}/${graphql}`;
}

export function sqlCell(r: WorkloadResult): string {
  return orNa(r.sqlPerRequest, (v) => v.toFixed(2));
}

export function hitCell(r: WorkloadResult): string {
  return orNa(r.cacheHitRate, formatPercent);
}

/** The workload-specific figures in a few words (W6's tasks/s, W8's stale reads). */
export function highlights(r: WorkloadResult): string[] {
  const out: string[] = [];
  const { tasksPerSec, staleReads, readP95Ms, updateP95Ms, reads, updates, responseCacheHits, responseCacheAnswers } = r.extra;
  if (responseCacheHits !== undefined && responseCacheAnswers) out.push(`x-cache HIT ${formatPercent(responseCacheHits / responseCacheAnswers)}`);
  if (tasksPerSec !== undefined) out.push(`${rate(tasksPerSec)} tasks/s`);
  if (staleReads !== undefined) out.push(`stale reads ${staleReads}`);
  if (reads !== undefined && updates !== undefined) out.push(`${reads} reads / ${updates} updates`);
  if (readP95Ms !== undefined && updateP95Ms !== undefined) out.push(`p95 read ${ms(readP95Ms)} / update ${ms(updateP95Ms)} ms`);
  return out;
}

export function ratioCell(value: number | null): string {
  return value === null ? NA : `${value.toFixed(2)}x`;
}
