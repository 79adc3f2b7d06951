import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CacheLayer } from '../cache/cache.js';
import type { DatabaseHandle } from '../db/connect.js';
import { createSubscriptionMetrics } from '../subscriptions/subscription.metrics.js';
import { createOperationLabels, type OperationLabels } from './operation-label.js';

/** ok, or error: the response carried GraphQL errors or an HTTP status >= 400 (a failed statement, for SQL). */
export type Outcome = 'ok' | 'error';

/** A `cache_requests_total` result: stale is a value past its TTL that was still served. */
export type CacheResult = 'hit' | 'miss' | 'stale';

/** What was looked up: entities and lists under the loaders, whole responses, persisted documents. */
export type { CacheLayer };

/** The values of `cache_circuit_state`. */
export const CircuitState = { closed: 0, open: 1, halfOpen: 2 } as const;
export type CircuitStateValue = (typeof CircuitState)[keyof typeof CircuitState];

export type PoolStats = ReturnType<DatabaseHandle['poolStats']>;

/** One replica at a scrape. */
export interface ReplicaGaugeState {
  readonly name: string;
  readonly lagBytes: number;
  readonly lagSeconds: number;
  readonly inRotation: boolean;
}

/**
 * The handles every part of the server records through, over a registry of
 * their own: tests start many servers in one process, and a shared (default)
 * registry would refuse the second server's metrics.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly graphql: {
    /** graphql_request_duration_seconds{operation, outcome}: whole HTTP request, seconds. */
    readonly requestDuration: Histogram<'operation' | 'outcome'>;
    /** graphql_operation_sql_statements{operation}: SQL statements one request sent. */
    readonly sqlStatements: Histogram<'operation'>;
    /** Bounds the `operation` label: use it for every value of that label. */
    readonly operationLabel: OperationLabels;
    /** graphql_validation_duration_seconds: graphql-js validating a document Apollo had not cached, seconds. */
    readonly validationDuration: Histogram;
    /**
     * graphql_documents_refused_total{reason}: refused before validation (src/limits/):
     * limits (a query limit broken), remembered (a document refused before), variables.
     */
    readonly documentsRefused: Counter<'reason'>;
    /** graphql_known_operation_requests_total: requests run by the known-operation lane, without Apollo's pipeline (src/http/known-operation-lane.ts). */
    readonly knownOperationRequests: Counter;
  };
  readonly sql: {
    /** sql_statement_duration_seconds: one statement as Kysely timed it, seconds. */
    readonly statementDuration: Histogram;
    /** sql_statements_total{outcome} */
    readonly statements: Counter<'outcome'>;
  };
  readonly db: {
    /** db_pool_connections{state="total|idle|waiting"}, read from `watchPool`'s source at each scrape. */
    readonly poolConnections: Gauge<'state'>;
    watchPool(poolStats: () => PoolStats): void;
  };
  /** Read replicas (src/db/replicas/); nothing is reported without DATABASE_REPLICA_URLS. */
  readonly replicas: {
    /** db_replica_statements_total{replica}: read statements a replica answered. */
    readonly statements: Counter<'replica'>;
    /** db_reads_on_primary_total{reason}: reads sent to the primary: recent_write, position_unknown, no_replica, replica_failed. */
    readonly readsOnPrimary: Counter<'reason'>;
    /** db_replica_lag_bytes / db_replica_lag_seconds / db_replica_in_rotation{replica}, read from `watch`'s source at each scrape. */
    watch(states: () => readonly ReplicaGaugeState[]): void;
  };
  readonly cache: {
    /**
     * cache_requests_total{namespace, layer, result}: one increment per key
     * looked up, labelled with the layer (entity|response|persisted-query), so
     * hits / all is the cache's hit rate. namespace is the declared namespace
     * name (`tasks`), never a key.
     */
    readonly requests: { inc(labels: { namespace: string; layer: CacheLayer; result: CacheResult }, count?: number): void };
    /** cache_errors_total: the store failed or timed out (the request went on without it). */
    readonly errors: { inc(count?: number): void };
    /** cache_circuit_state: the Redis circuit breaker. */
    readonly circuitState: { set(state: CircuitStateValue): void };
  };
  readonly rateLimit: {
    /** rate_limit_rejections_total{reason}: requests refused by a limit; reason names the limit. */
    readonly rejections: { inc(labels: { reason: string }, count?: number): void };
  };
}

// Bucket bounds sit on the alert thresholds (0.2 s request p95, 0.1 s SQL p95),
// so histogram_quantile answers exactly at the line that matters.
const REQUEST_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10];
const STATEMENT_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
// The query limits keep validation in single-digit milliseconds (QUERY_MAX_SELECTIONS).
const VALIDATION_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 1];
// Zero is a request answered from cache; the N+1 guard keeps the rest in single digits.
const STATEMENTS_PER_REQUEST = [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100];

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Live updates record through these handles (src/subscriptions/); made here so /metrics lists them from the start.
  createSubscriptionMetrics(registry);
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  let poolStats: (() => PoolStats) | undefined;
  const poolConnections = new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections: total open, idle, and requests waiting for one',
    labelNames: ['state'] as const,
    registers,
    collect() {
      if (!poolStats) return;
      const { total, idle, waiting } = poolStats();
      this.set({ state: 'total' }, total);
      this.set({ state: 'idle' }, idle);
      this.set({ state: 'waiting' }, waiting);
    },
  });

  let replicaStates: (() => readonly ReplicaGaugeState[]) | undefined;
  const replicaGauge = (name: string, help: string, value: (state: ReplicaGaugeState) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['replica'] as const,
      registers,
      collect() {
        for (const state of replicaStates?.() ?? []) this.set({ replica: state.name }, value(state));
      },
    });
  replicaGauge('db_replica_lag_bytes', 'WAL bytes the replica has yet to replay, from the last polls', (state) => state.lagBytes);
  // A replica never polled yet, or down, reports -1: unknown, and out of rotation.
  replicaGauge('db_replica_lag_seconds', 'How far behind the primary the replica is, seconds (-1: unknown)', (state) =>
    Number.isFinite(state.lagSeconds) ? state.lagSeconds : -1,
  );
  replicaGauge('db_replica_in_rotation', 'Whether the replica takes reads: 1 in rotation, 0 out (down, or past REPLICA_MAX_LAG_MS)', (state) =>
    state.inRotation ? 1 : 0,
  );

  return {
    registry,
    replicas: {
      statements: new Counter({
        name: 'db_replica_statements_total',
        help: 'Read statements answered by each replica',
        labelNames: ['replica'] as const,
        registers,
      }),
      readsOnPrimary: new Counter({
        name: 'db_reads_on_primary_total',
        help: 'Read statements sent to the primary although replicas are configured, by reason',
        labelNames: ['reason'] as const,
        registers,
      }),
      watch(source) {
        replicaStates = source;
      },
    },
    graphql: {
      requestDuration: new Histogram({
        name: 'graphql_request_duration_seconds',
        help: 'GraphQL HTTP requests by operation name and outcome (ok|error), seconds',
        labelNames: ['operation', 'outcome'] as const,
        buckets: REQUEST_SECONDS,
        registers,
      }),
      sqlStatements: new Histogram({
        name: 'graphql_operation_sql_statements',
        help: 'SQL statements sent by one GraphQL request, by operation name',
        labelNames: ['operation'] as const,
        buckets: STATEMENTS_PER_REQUEST,
        registers,
      }),
      operationLabel: createOperationLabels(),
      validationDuration: new Histogram({
        name: 'graphql_validation_duration_seconds',
        help: 'graphql-js validating a document not validated before, seconds',
        buckets: VALIDATION_SECONDS,
        registers,
      }),
      documentsRefused: new Counter({
        name: 'graphql_documents_refused_total',
        help: 'Requests refused before validation: limits, remembered (refused before), variables',
        labelNames: ['reason'] as const,
        registers,
      }),
      knownOperationRequests: new Counter({
        name: 'graphql_known_operation_requests_total',
        help: 'GraphQL requests run by the known-operation lane: operations Apollo had resolved before, run without its per-request pipeline',
        registers,
      }),
    },
    sql: {
      statementDuration: new Histogram({
        name: 'sql_statement_duration_seconds',
        help: 'Duration of one SQL statement, seconds',
        buckets: STATEMENT_SECONDS,
        registers,
      }),
      statements: new Counter({
        name: 'sql_statements_total',
        help: 'SQL statements sent, by outcome (ok|error)',
        labelNames: ['outcome'] as const,
        registers,
      }),
    },
    db: {
      poolConnections,
      watchPool(source) {
        poolStats = source;
      },
    },
    cache: {
      requests: new Counter({
        name: 'cache_requests_total',
        help: 'Cache lookups by namespace, answering layer and result (hit|miss|stale)',
        labelNames: ['namespace', 'layer', 'result'] as const,
        registers,
      }),
      errors: new Counter({
        name: 'cache_errors_total',
        help: 'Cache store failures and timeouts',
        registers,
      }),
      circuitState: new Gauge({
        name: 'cache_circuit_state',
        help: 'Redis circuit breaker: 0 closed, 1 open, 2 half-open',
        registers,
      }),
    },
    rateLimit: {
      rejections: new Counter({
        name: 'rate_limit_rejections_total',
        help: 'Requests rejected by a rate limit, by reason',
        labelNames: ['reason'] as const,
        registers,
      }),
    },
  };
}
