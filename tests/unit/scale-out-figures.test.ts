import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../tools/bench/metrics.js';
import { readPlacement, renderScaleOutTable, replicaReadShare } from '../../tools/bench/scale-out-figures.js';
import type { WorkloadResult } from '../../tools/bench/types.js';

// Two instances' /metrics side by side, as scrapeMetrics returns a fleet's.
const fleet = (lines: string[]) => parsePrometheusText(lines.join('\n'));

describe('the scale-out figures', () => {
  const before = fleet([
    'db_replica_statements_total{replica="r:1/arya"} 10',
    'db_replica_statements_total{replica="r:1/arya"} 5',
    'sql_statements_total{outcome="ok"} 100',
    'process_cpu_seconds_total 4',
    'graphql_request_duration_seconds_count{operation="Task",outcome="ok"} 1000',
  ]);
  const after = fleet([
    'db_replica_statements_total{replica="r:1/arya"} 70',
    'db_replica_statements_total{replica="r:1/arya"} 45',
    'db_reads_on_primary_total{reason="recent_write"} 20',
    'db_reads_on_primary_total{reason="no_replica"} 0',
    'sql_statements_total{outcome="ok"} 250',
    'sql_statements_total{outcome="error"} 50',
    'process_cpu_seconds_total 5',
    'process_cpu_seconds_total 1.5',
    'graphql_request_duration_seconds_count{operation="Task",outcome="ok"} 1600',
    'graphql_request_duration_seconds_count{operation="Task",outcome="ok"} 400',
  ]);

  it("sums every instance's growth (statements, CPU, requests) and names only the reasons that grew", () => {
    const placement = readPlacement(before, after);
    expect(placement).toEqual({ onReplica: 100, onPrimaryByReason: { recent_write: 20 }, statements: 200, cpuSeconds: 2.5, requests: 1000 });
    expect(replicaReadShare(placement)).toBeCloseTo(100 / 120);
  });

  it('has no replica share where no read was routed', () => {
    expect(replicaReadShare(readPlacement(null, null))).toBeNull();
  });

  it('prints one row per setup, with no replica columns for a setup without replicas', () => {
    const result = { reqPerSec: 812.4, cacheHitRate: 0.5, extra: { reads: 900, updates: 100, staleReads: 0 } } as unknown as WorkloadResult;
    const table = renderScaleOutTable([
      { instances: 3, replicas: 1, cache: 'on', result, placement: readPlacement(before, after) },
      { instances: 1, replicas: 0, cache: 'off', result, placement: readPlacement(null, null) },
    ]).split('\n');
    expect(table[2]).toBe('| 3 | 1 | on | 812 | 900 | 100 | 0 | 83.3 % | 50.0 % | 50.0 % | 2.50 |');
    expect(table[3]).toBe('| 1 | 0 | off | 812 | 900 | 100 | 0 | - | - | - | n/a |');
  });
});
