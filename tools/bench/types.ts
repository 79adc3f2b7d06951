/** What a benchmark run measures and writes to JSON; every duration is in milliseconds unless named otherwise. */

export const WORKLOAD_IDS = ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8', 'W9'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

/** `external`: a server given with --url, whose cache mode the runner does not control. */
export type CacheMode = 'on' | 'off' | 'external';

export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Counted for every response of the timed phase, not sampled. */
export interface ErrorCounts {
  /** HTTP status >= 400 (or any non-2xx). */
  readonly http: number;
  /** A 2xx answer whose body carries `"errors"`. */
  readonly graphql: number;
  /** No answer at all: connection errors and timeouts. */
  readonly network: number;
}

/** One row of the report: a workload, or one variant of it (W7 offset / W7 cursor). */
export interface WorkloadResult {
  /** Unique within a run: `W1`, ..., `W7-offset`, `W7-cursor`. */
  readonly key: string;
  readonly workload: WorkloadId;
  readonly title: string;
  readonly requests: number;
  readonly durationS: number;
  readonly reqPerSec: number;
  readonly latencyMs: LatencySummary;
  readonly errors: ErrorCounts;
  /** From the server's /metrics; null when it has none. */
  readonly sqlPerRequest: number | null;
  /** hits / lookups over the timed phase; null without metrics or without lookups. */
  readonly cacheHitRate: number | null;
  /** Workload-specific figures, e.g. tasksPerSec (W6), staleReads (W8). */
  readonly extra: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
}

/** A workload whose pre-timing check (or setup) failed: it was not timed. */
export interface WorkloadFailure {
  readonly workload: WorkloadId;
  readonly title: string;
  readonly error: string;
}

export interface ModeRun {
  readonly cacheMode: CacheMode;
  /** Whether GET /metrics answered with Prometheus text. */
  readonly metricsAvailable: boolean;
  /** Whether the server counts cache lookups (cache_requests_total present). */
  readonly cacheMetricsAvailable: boolean;
  readonly results: readonly WorkloadResult[];
  readonly failures: readonly WorkloadFailure[];
  /** Over every timed phase of this run. */
  readonly cacheHitRate: number | null;
  /** Why a figure of this run is n/a, and the like. */
  readonly notes: readonly string[];
}

export interface BenchSettings {
  readonly connections: number;
  readonly durationS: number;
  readonly warmupS: number;
  readonly workloads: readonly WorkloadId[];
}

/** What the runner found in the database to drive the workloads with. */
export interface DataSummary {
  readonly viewers: number;
  readonly hotTasks: number;
  readonly runningTasks: number;
  readonly deepPageUser: string;
  readonly deepPageOffset: number;
  readonly deepPageUserTasks: number;
}

export interface BenchReport {
  readonly version: 1;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly target: {
    /** The GraphQL endpoint of the last run (a started server's port differs per run). */
    readonly url: string;
    readonly startedServer: boolean;
    readonly database: 'postgres' | 'pglite';
  };
  readonly settings: BenchSettings;
  readonly data: DataSummary;
  readonly runs: readonly ModeRun[];
  readonly notes: readonly string[];
}
