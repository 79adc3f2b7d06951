/**
 * The figures of `tools/bench/scale-out.ts`: where the read statements of a
 * W8 run went (from the instances' /metrics, before and after) and the table
 * that compares the setups. Pure, so that a unit test can pin them.
 */
import type { Snapshot } from './metrics.js';
import type { WorkloadResult } from './types.js';

export interface ReadPlacement {
  /** db_replica_statements_total growth: reads a replica answered. */
  readonly onReplica: number;
  /** db_reads_on_primary_total growth, by reason: reads routed to the primary although replicas are configured. */
  readonly onPrimaryByReason: Readonly<Record<string, number>>;
  /** sql_statements_total growth: every statement, writes, authentication and the replica poller included. */
  readonly statements: number;
  /** process_cpu_seconds_total growth, summed over the instances: the API's CPU, not the database's. */
  readonly cpuSeconds: number;
  /** graphql_request_duration_seconds_count growth: the requests that CPU served. */
  readonly requests: number;
}

export interface ScaleOutRow {
  readonly instances: number;
  readonly replicas: number;
  readonly cache: 'on' | 'off';
  readonly result: WorkloadResult;
  readonly placement: ReadPlacement;
}

/** Summed over every series of `name` (every instance's, when the snapshot is a fleet's). */
function sum(snapshot: Snapshot | null, name: string, where: (labels: Readonly<Record<string, string>>) => boolean = () => true): number {
  return (snapshot?.samples ?? []).filter((s) => s.name === name && where(s.labels)).reduce((total, s) => total + s.value, 0);
}

export function readPlacement(before: Snapshot | null, after: Snapshot | null): ReadPlacement {
  const growth = (name: string, where?: (labels: Readonly<Record<string, string>>) => boolean) => sum(after, name, where) - sum(before, name, where);
  const reasons = new Set((after?.samples ?? []).filter((s) => s.name === 'db_reads_on_primary_total').map((s) => s.labels.reason ?? ''));
  const onPrimaryByReason = Object.fromEntries(
    [...reasons].sort().map((reason) => [reason, growth('db_reads_on_primary_total', (l) => l.reason === reason)] as const).filter(([, n]) => n > 0),
  );
  return {
    onReplica: growth('db_replica_statements_total'),
    onPrimaryByReason,
    statements: growth('sql_statements_total'),
    cpuSeconds: growth('process_cpu_seconds_total'),
    requests: growth('graphql_request_duration_seconds_count'),
  };
}

/** Replica reads / routed reads (replica + primary by any reason); null without replicas or reads. */
export function replicaReadShare(placement: ReadPlacement): number | null {
  const onPrimary = Object.values(placement.onPrimaryByReason).reduce((a, b) => a + b, 0);
  const routed = placement.onReplica + onPrimary;
  return routed === 0 ? null : placement.onReplica / routed;
}

const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)} %`);

export function renderScaleOutTable(rows: readonly ScaleOutRow[]): string {
  const header = ['instances', 'replicas', 'cache', 'req/s', 'reads', 'updates', 'stale reads', 'replica share of reads', 'replica share of all SQL', 'hit rate', 'API CPU ms/req'];
  const lines = rows.map((row) => {
    const { result, placement } = row;
    return [
      String(row.instances),
      String(row.replicas),
      row.cache,
      result.reqPerSec.toFixed(0),
      String(result.extra.reads ?? 0),
      String(result.extra.updates ?? 0),
      String(result.extra.staleReads ?? 0),
      row.replicas === 0 ? '-' : percent(replicaReadShare(placement)),
      row.replicas === 0 || placement.statements === 0 ? '-' : percent(placement.onReplica / placement.statements),
      row.cache === 'off' ? '-' : percent(result.cacheHitRate),
      placement.requests === 0 ? 'n/a' : ((placement.cpuSeconds * 1000) / placement.requests).toFixed(2),
    ];
  });
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...lines.map(line)].join('\n');
}
