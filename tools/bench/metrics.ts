/**
 * Reads the server's Prometheus metrics around a timed phase: SQL statements
 * per request (graphql_operation_sql_statements _sum / _count) and the cache
 * hit rate (cache_requests_total by result). A server without /metrics, or
 * without one of the metrics, yields null: reported as n/a, never a failure.
 */

import { targetsOf } from './targets.js';

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Snapshot {
  readonly samples: readonly Sample[];
  /** Families named by `# TYPE` lines: a counter nobody has incremented yet has no sample, but it exists. */
  readonly families: ReadonlySet<string>;
}

/** GET /metrics beside the GraphQL endpoint (with METRICS_TOKEN, when the server wants it); null when it is absent or not Prometheus text. */
export async function scrapeMetrics(graphqlUrl: string, token?: string): Promise<Snapshot | null> {
  const targets = targetsOf(graphqlUrl);
  if (targets.length > 1) {
    // Several instances: their series side by side, so every total is the fleet's.
    const snapshots = (await Promise.all(targets.map((target) => scrapeMetrics(target, token)))).filter((s): s is Snapshot => s !== null);
    if (snapshots.length === 0) return null;
    return { samples: snapshots.flatMap((s) => s.samples), families: new Set(snapshots.flatMap((s) => [...s.families])) };
  }
  try {
    const response = await fetch(new URL('/metrics', graphqlUrl), { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
    if (!response.ok) return null;
    return parsePrometheusText(await response.text());
  } catch {
    return null;
  }
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The exposition format's sample lines (`name{label="value"} 1.5 [timestamp]`); comments and blanks are skipped. */
export function parsePrometheusText(text: string): Snapshot {
  const samples: Sample[] = [];
  const families = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+)/.exec(line);
    if (type) families.add(type[1]!);
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[3] ?? '').matchAll(LABEL)) labels[key!] = value!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const value = Number(match[4]);
    if (!Number.isNaN(value)) samples.push({ name: match[1]!, labels, value });
  }
  return { samples, families };
}

/** Whether the server declares the metric (a histogram's _sum and _count belong to its family). */
function declares(snapshot: Snapshot, name: string): boolean {
  return snapshot.families.has(name) || snapshot.families.has(name.replace(/_(sum|count|bucket)$/, ''));
}

/** The sum of every series of `name` (matching `where`); undefined when the server has no such metric. */
function total(snapshot: Snapshot, name: string, where: (labels: Readonly<Record<string, string>>) => boolean = () => true): number | undefined {
  let sum = declares(snapshot, name) ? 0 : undefined;
  for (const sample of snapshot.samples) {
    if (sample.name === name && where(sample.labels)) sum = (sum ?? 0) + sample.value;
  }
  return sum;
}

/** Growth of a counter between two snapshots; a series that appears in between started from 0. */
function growth(before: Snapshot, after: Snapshot, name: string, where?: (labels: Readonly<Record<string, string>>) => boolean): number | undefined {
  const end = total(after, name, where);
  return end === undefined ? undefined : end - (total(before, name, where) ?? 0);
}

export interface PhaseMetrics {
  readonly sqlStatements: number | null;
  readonly operations: number | null;
  readonly cacheHits: number | null;
  readonly cacheLookups: number | null;
}

export const NO_METRICS: PhaseMetrics = { sqlStatements: null, operations: null, cacheHits: null, cacheLookups: null };

export function diffMetrics(before: Snapshot | null, after: Snapshot | null): PhaseMetrics {
  if (before === null || after === null) return NO_METRICS;
  return {
    sqlStatements: growth(before, after, 'graphql_operation_sql_statements_sum') ?? null,
    operations: growth(before, after, 'graphql_operation_sql_statements_count') ?? null,
    // One increment per key looked up, labelled with the layer that answered: hits / all is the hit rate.
    cacheHits: growth(before, after, 'cache_requests_total', (l) => l.result === 'hit') ?? null,
    cacheLookups: growth(before, after, 'cache_requests_total') ?? null,
  };
}

export function hasCacheMetrics(snapshot: Snapshot | null): boolean {
  return snapshot !== null && total(snapshot, 'cache_requests_total') !== undefined;
}

/** A ratio, or null when either side is unknown or nothing was counted. */
export function ratio(numerator: number | null, denominator: number | null): number | null {
  return numerator === null || denominator === null || denominator === 0 ? null : numerator / denominator;
}
